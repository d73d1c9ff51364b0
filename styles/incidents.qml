<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<!-- gisserver: Incidents by type (colour) and status (opacity). Same colours and rules as incidents.sld and incidents.json. -->
<qgis version="3.22.0" styleCategories="Symbology">
  <renderer-v2 type="RuleRenderer" symbollevels="0" enableorderby="0" forceraster="0">
    <rules key="{root}">
      <rule key="{r0}" symbol="0" label="fire, reported" filter="&quot;incident_type&quot; = 'fire' AND &quot;status&quot; = 'reported'"/>
      <rule key="{r1}" symbol="1" label="fire, verified" filter="&quot;incident_type&quot; = 'fire' AND &quot;status&quot; = 'verified'"/>
      <rule key="{r2}" symbol="2" label="fire, responding" filter="&quot;incident_type&quot; = 'fire' AND &quot;status&quot; = 'responding'"/>
      <rule key="{r3}" symbol="3" label="fire, contained" filter="&quot;incident_type&quot; = 'fire' AND &quot;status&quot; = 'contained'"/>
      <rule key="{r4}" symbol="4" label="fire, resolved" filter="&quot;incident_type&quot; = 'fire' AND &quot;status&quot; = 'resolved'"/>
      <rule key="{r50}" symbol="50" label="fire, closed" filter="&quot;incident_type&quot; = 'fire' AND &quot;status&quot; = 'closed'"/>
      <rule key="{r51}" symbol="51" label="fire, cancelled" filter="&quot;incident_type&quot; = 'fire' AND &quot;status&quot; = 'cancelled'"/>
      <rule key="{r5}" symbol="5" label="flood, reported" filter="&quot;incident_type&quot; = 'flood' AND &quot;status&quot; = 'reported'"/>
      <rule key="{r6}" symbol="6" label="flood, verified" filter="&quot;incident_type&quot; = 'flood' AND &quot;status&quot; = 'verified'"/>
      <rule key="{r7}" symbol="7" label="flood, responding" filter="&quot;incident_type&quot; = 'flood' AND &quot;status&quot; = 'responding'"/>
      <rule key="{r8}" symbol="8" label="flood, contained" filter="&quot;incident_type&quot; = 'flood' AND &quot;status&quot; = 'contained'"/>
      <rule key="{r9}" symbol="9" label="flood, resolved" filter="&quot;incident_type&quot; = 'flood' AND &quot;status&quot; = 'resolved'"/>
      <rule key="{r52}" symbol="52" label="flood, closed" filter="&quot;incident_type&quot; = 'flood' AND &quot;status&quot; = 'closed'"/>
      <rule key="{r53}" symbol="53" label="flood, cancelled" filter="&quot;incident_type&quot; = 'flood' AND &quot;status&quot; = 'cancelled'"/>
      <rule key="{r10}" symbol="10" label="chemical, reported" filter="&quot;incident_type&quot; = 'chemical' AND &quot;status&quot; = 'reported'"/>
      <rule key="{r11}" symbol="11" label="chemical, verified" filter="&quot;incident_type&quot; = 'chemical' AND &quot;status&quot; = 'verified'"/>
      <rule key="{r12}" symbol="12" label="chemical, responding" filter="&quot;incident_type&quot; = 'chemical' AND &quot;status&quot; = 'responding'"/>
      <rule key="{r13}" symbol="13" label="chemical, contained" filter="&quot;incident_type&quot; = 'chemical' AND &quot;status&quot; = 'contained'"/>
      <rule key="{r14}" symbol="14" label="chemical, resolved" filter="&quot;incident_type&quot; = 'chemical' AND &quot;status&quot; = 'resolved'"/>
      <rule key="{r54}" symbol="54" label="chemical, closed" filter="&quot;incident_type&quot; = 'chemical' AND &quot;status&quot; = 'closed'"/>
      <rule key="{r55}" symbol="55" label="chemical, cancelled" filter="&quot;incident_type&quot; = 'chemical' AND &quot;status&quot; = 'cancelled'"/>
      <rule key="{r15}" symbol="15" label="collision, reported" filter="&quot;incident_type&quot; = 'collision' AND &quot;status&quot; = 'reported'"/>
      <rule key="{r16}" symbol="16" label="collision, verified" filter="&quot;incident_type&quot; = 'collision' AND &quot;status&quot; = 'verified'"/>
      <rule key="{r17}" symbol="17" label="collision, responding" filter="&quot;incident_type&quot; = 'collision' AND &quot;status&quot; = 'responding'"/>
      <rule key="{r18}" symbol="18" label="collision, contained" filter="&quot;incident_type&quot; = 'collision' AND &quot;status&quot; = 'contained'"/>
      <rule key="{r19}" symbol="19" label="collision, resolved" filter="&quot;incident_type&quot; = 'collision' AND &quot;status&quot; = 'resolved'"/>
      <rule key="{r56}" symbol="56" label="collision, closed" filter="&quot;incident_type&quot; = 'collision' AND &quot;status&quot; = 'closed'"/>
      <rule key="{r57}" symbol="57" label="collision, cancelled" filter="&quot;incident_type&quot; = 'collision' AND &quot;status&quot; = 'cancelled'"/>
      <rule key="{r20}" symbol="20" label="medical, reported" filter="&quot;incident_type&quot; = 'medical' AND &quot;status&quot; = 'reported'"/>
      <rule key="{r21}" symbol="21" label="medical, verified" filter="&quot;incident_type&quot; = 'medical' AND &quot;status&quot; = 'verified'"/>
      <rule key="{r22}" symbol="22" label="medical, responding" filter="&quot;incident_type&quot; = 'medical' AND &quot;status&quot; = 'responding'"/>
      <rule key="{r23}" symbol="23" label="medical, contained" filter="&quot;incident_type&quot; = 'medical' AND &quot;status&quot; = 'contained'"/>
      <rule key="{r24}" symbol="24" label="medical, resolved" filter="&quot;incident_type&quot; = 'medical' AND &quot;status&quot; = 'resolved'"/>
      <rule key="{r58}" symbol="58" label="medical, closed" filter="&quot;incident_type&quot; = 'medical' AND &quot;status&quot; = 'closed'"/>
      <rule key="{r59}" symbol="59" label="medical, cancelled" filter="&quot;incident_type&quot; = 'medical' AND &quot;status&quot; = 'cancelled'"/>
      <rule key="{r25}" symbol="25" label="structural, reported" filter="&quot;incident_type&quot; = 'structural' AND &quot;status&quot; = 'reported'"/>
      <rule key="{r26}" symbol="26" label="structural, verified" filter="&quot;incident_type&quot; = 'structural' AND &quot;status&quot; = 'verified'"/>
      <rule key="{r27}" symbol="27" label="structural, responding" filter="&quot;incident_type&quot; = 'structural' AND &quot;status&quot; = 'responding'"/>
      <rule key="{r28}" symbol="28" label="structural, contained" filter="&quot;incident_type&quot; = 'structural' AND &quot;status&quot; = 'contained'"/>
      <rule key="{r29}" symbol="29" label="structural, resolved" filter="&quot;incident_type&quot; = 'structural' AND &quot;status&quot; = 'resolved'"/>
      <rule key="{r60}" symbol="60" label="structural, closed" filter="&quot;incident_type&quot; = 'structural' AND &quot;status&quot; = 'closed'"/>
      <rule key="{r61}" symbol="61" label="structural, cancelled" filter="&quot;incident_type&quot; = 'structural' AND &quot;status&quot; = 'cancelled'"/>
      <rule key="{r30}" symbol="30" label="power outage, reported" filter="&quot;incident_type&quot; = 'power_outage' AND &quot;status&quot; = 'reported'"/>
      <rule key="{r31}" symbol="31" label="power outage, verified" filter="&quot;incident_type&quot; = 'power_outage' AND &quot;status&quot; = 'verified'"/>
      <rule key="{r32}" symbol="32" label="power outage, responding" filter="&quot;incident_type&quot; = 'power_outage' AND &quot;status&quot; = 'responding'"/>
      <rule key="{r33}" symbol="33" label="power outage, contained" filter="&quot;incident_type&quot; = 'power_outage' AND &quot;status&quot; = 'contained'"/>
      <rule key="{r34}" symbol="34" label="power outage, resolved" filter="&quot;incident_type&quot; = 'power_outage' AND &quot;status&quot; = 'resolved'"/>
      <rule key="{r62}" symbol="62" label="power outage, closed" filter="&quot;incident_type&quot; = 'power_outage' AND &quot;status&quot; = 'closed'"/>
      <rule key="{r63}" symbol="63" label="power outage, cancelled" filter="&quot;incident_type&quot; = 'power_outage' AND &quot;status&quot; = 'cancelled'"/>
      <rule key="{r35}" symbol="35" label="gas leak, reported" filter="&quot;incident_type&quot; = 'gas_leak' AND &quot;status&quot; = 'reported'"/>
      <rule key="{r36}" symbol="36" label="gas leak, verified" filter="&quot;incident_type&quot; = 'gas_leak' AND &quot;status&quot; = 'verified'"/>
      <rule key="{r37}" symbol="37" label="gas leak, responding" filter="&quot;incident_type&quot; = 'gas_leak' AND &quot;status&quot; = 'responding'"/>
      <rule key="{r38}" symbol="38" label="gas leak, contained" filter="&quot;incident_type&quot; = 'gas_leak' AND &quot;status&quot; = 'contained'"/>
      <rule key="{r39}" symbol="39" label="gas leak, resolved" filter="&quot;incident_type&quot; = 'gas_leak' AND &quot;status&quot; = 'resolved'"/>
      <rule key="{r64}" symbol="64" label="gas leak, closed" filter="&quot;incident_type&quot; = 'gas_leak' AND &quot;status&quot; = 'closed'"/>
      <rule key="{r65}" symbol="65" label="gas leak, cancelled" filter="&quot;incident_type&quot; = 'gas_leak' AND &quot;status&quot; = 'cancelled'"/>
      <rule key="{r40}" symbol="40" label="storm damage, reported" filter="&quot;incident_type&quot; = 'storm_damage' AND &quot;status&quot; = 'reported'"/>
      <rule key="{r41}" symbol="41" label="storm damage, verified" filter="&quot;incident_type&quot; = 'storm_damage' AND &quot;status&quot; = 'verified'"/>
      <rule key="{r42}" symbol="42" label="storm damage, responding" filter="&quot;incident_type&quot; = 'storm_damage' AND &quot;status&quot; = 'responding'"/>
      <rule key="{r43}" symbol="43" label="storm damage, contained" filter="&quot;incident_type&quot; = 'storm_damage' AND &quot;status&quot; = 'contained'"/>
      <rule key="{r44}" symbol="44" label="storm damage, resolved" filter="&quot;incident_type&quot; = 'storm_damage' AND &quot;status&quot; = 'resolved'"/>
      <rule key="{r66}" symbol="66" label="storm damage, closed" filter="&quot;incident_type&quot; = 'storm_damage' AND &quot;status&quot; = 'closed'"/>
      <rule key="{r67}" symbol="67" label="storm damage, cancelled" filter="&quot;incident_type&quot; = 'storm_damage' AND &quot;status&quot; = 'cancelled'"/>
      <rule key="{r45}" symbol="45" label="other, reported" filter="&quot;incident_type&quot; = 'other' AND &quot;status&quot; = 'reported'"/>
      <rule key="{r46}" symbol="46" label="other, verified" filter="&quot;incident_type&quot; = 'other' AND &quot;status&quot; = 'verified'"/>
      <rule key="{r47}" symbol="47" label="other, responding" filter="&quot;incident_type&quot; = 'other' AND &quot;status&quot; = 'responding'"/>
      <rule key="{r48}" symbol="48" label="other, contained" filter="&quot;incident_type&quot; = 'other' AND &quot;status&quot; = 'contained'"/>
      <rule key="{r49}" symbol="49" label="other, resolved" filter="&quot;incident_type&quot; = 'other' AND &quot;status&quot; = 'resolved'"/>
      <rule key="{r68}" symbol="68" label="other, closed" filter="&quot;incident_type&quot; = 'other' AND &quot;status&quot; = 'closed'"/>
      <rule key="{r69}" symbol="69" label="other, cancelled" filter="&quot;incident_type&quot; = 'other' AND &quot;status&quot; = 'cancelled'"/>
    </rules>
    <symbols>
    <symbol type="marker" name="0" alpha="0.9" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="215,25,28,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="1" alpha="0.9" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="215,25,28,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="2" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="215,25,28,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="3" alpha="0.55" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="215,25,28,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="4" alpha="0.3" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="215,25,28,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="50" alpha="0.2" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="215,25,28,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="51" alpha="0.15" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="215,25,28,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="5" alpha="0.9" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="43,131,186,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="6" alpha="0.9" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="43,131,186,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="7" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="43,131,186,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="8" alpha="0.55" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="43,131,186,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="9" alpha="0.3" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="43,131,186,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="52" alpha="0.2" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="43,131,186,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="53" alpha="0.15" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="43,131,186,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="10" alpha="0.9" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="123,50,148,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="11" alpha="0.9" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="123,50,148,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="12" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="123,50,148,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="13" alpha="0.55" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="123,50,148,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="14" alpha="0.3" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="123,50,148,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="54" alpha="0.2" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="123,50,148,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="55" alpha="0.15" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="123,50,148,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="15" alpha="0.9" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="253,174,97,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="16" alpha="0.9" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="253,174,97,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="17" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="253,174,97,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="18" alpha="0.55" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="253,174,97,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="19" alpha="0.3" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="253,174,97,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="56" alpha="0.2" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="253,174,97,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="57" alpha="0.15" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="253,174,97,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="20" alpha="0.9" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="231,41,138,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="21" alpha="0.9" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="231,41,138,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="22" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="231,41,138,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="23" alpha="0.55" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="231,41,138,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="24" alpha="0.3" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="231,41,138,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="58" alpha="0.2" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="231,41,138,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="59" alpha="0.15" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="231,41,138,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="25" alpha="0.9" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="140,81,10,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="26" alpha="0.9" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="140,81,10,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="27" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="140,81,10,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="28" alpha="0.55" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="140,81,10,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="29" alpha="0.3" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="140,81,10,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="60" alpha="0.2" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="140,81,10,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="61" alpha="0.15" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="140,81,10,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="30" alpha="0.9" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="255,217,47,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="31" alpha="0.9" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="255,217,47,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="32" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="255,217,47,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="33" alpha="0.55" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="255,217,47,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="34" alpha="0.3" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="255,217,47,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="62" alpha="0.2" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="255,217,47,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="63" alpha="0.15" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="255,217,47,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="35" alpha="0.9" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="102,166,30,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="36" alpha="0.9" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="102,166,30,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="37" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="102,166,30,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="38" alpha="0.55" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="102,166,30,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="39" alpha="0.3" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="102,166,30,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="64" alpha="0.2" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="102,166,30,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="65" alpha="0.15" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="102,166,30,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="40" alpha="0.9" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="31,78,121,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="41" alpha="0.9" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="31,78,121,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="42" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="31,78,121,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="43" alpha="0.55" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="31,78,121,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="44" alpha="0.3" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="31,78,121,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="66" alpha="0.2" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="31,78,121,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="67" alpha="0.15" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="31,78,121,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="45" alpha="0.9" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="153,153,153,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="46" alpha="0.9" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="153,153,153,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="47" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="153,153,153,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="48" alpha="0.55" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="153,153,153,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="49" alpha="0.3" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="153,153,153,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="68" alpha="0.2" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="153,153,153,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="69" alpha="0.15" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="153,153,153,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    </symbols>
  </renderer-v2>
  <layerGeometryType>0</layerGeometryType>
</qgis>
