<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<!-- gisserver: Hazard zones by type (colour) and severity (opacity, outline). Same colours and rules as hazard_zones.sld and hazard_zones.json. -->
<qgis version="3.22.0" styleCategories="Symbology">
  <renderer-v2 type="RuleRenderer" symbollevels="0" enableorderby="0" forceraster="0">
    <rules key="{root}">
      <rule key="{r0}" symbol="0" label="flood, low" filter="&quot;hazard_type&quot; = 'flood' AND &quot;severity&quot; = 'low'"/>
      <rule key="{r1}" symbol="1" label="flood, moderate" filter="&quot;hazard_type&quot; = 'flood' AND &quot;severity&quot; = 'moderate'"/>
      <rule key="{r2}" symbol="2" label="flood, high" filter="&quot;hazard_type&quot; = 'flood' AND &quot;severity&quot; = 'high'"/>
      <rule key="{r3}" symbol="3" label="flood, extreme" filter="&quot;hazard_type&quot; = 'flood' AND &quot;severity&quot; = 'extreme'"/>
      <rule key="{r4}" symbol="4" label="storm surge, low" filter="&quot;hazard_type&quot; = 'storm_surge' AND &quot;severity&quot; = 'low'"/>
      <rule key="{r5}" symbol="5" label="storm surge, moderate" filter="&quot;hazard_type&quot; = 'storm_surge' AND &quot;severity&quot; = 'moderate'"/>
      <rule key="{r6}" symbol="6" label="storm surge, high" filter="&quot;hazard_type&quot; = 'storm_surge' AND &quot;severity&quot; = 'high'"/>
      <rule key="{r7}" symbol="7" label="storm surge, extreme" filter="&quot;hazard_type&quot; = 'storm_surge' AND &quot;severity&quot; = 'extreme'"/>
      <rule key="{r8}" symbol="8" label="landslide, low" filter="&quot;hazard_type&quot; = 'landslide' AND &quot;severity&quot; = 'low'"/>
      <rule key="{r9}" symbol="9" label="landslide, moderate" filter="&quot;hazard_type&quot; = 'landslide' AND &quot;severity&quot; = 'moderate'"/>
      <rule key="{r10}" symbol="10" label="landslide, high" filter="&quot;hazard_type&quot; = 'landslide' AND &quot;severity&quot; = 'high'"/>
      <rule key="{r11}" symbol="11" label="landslide, extreme" filter="&quot;hazard_type&quot; = 'landslide' AND &quot;severity&quot; = 'extreme'"/>
      <rule key="{r12}" symbol="12" label="fire, low" filter="&quot;hazard_type&quot; = 'fire' AND &quot;severity&quot; = 'low'"/>
      <rule key="{r13}" symbol="13" label="fire, moderate" filter="&quot;hazard_type&quot; = 'fire' AND &quot;severity&quot; = 'moderate'"/>
      <rule key="{r14}" symbol="14" label="fire, high" filter="&quot;hazard_type&quot; = 'fire' AND &quot;severity&quot; = 'high'"/>
      <rule key="{r15}" symbol="15" label="fire, extreme" filter="&quot;hazard_type&quot; = 'fire' AND &quot;severity&quot; = 'extreme'"/>
      <rule key="{r16}" symbol="16" label="chemical, low" filter="&quot;hazard_type&quot; = 'chemical' AND &quot;severity&quot; = 'low'"/>
      <rule key="{r17}" symbol="17" label="chemical, moderate" filter="&quot;hazard_type&quot; = 'chemical' AND &quot;severity&quot; = 'moderate'"/>
      <rule key="{r18}" symbol="18" label="chemical, high" filter="&quot;hazard_type&quot; = 'chemical' AND &quot;severity&quot; = 'high'"/>
      <rule key="{r19}" symbol="19" label="chemical, extreme" filter="&quot;hazard_type&quot; = 'chemical' AND &quot;severity&quot; = 'extreme'"/>
      <rule key="{r20}" symbol="20" label="earthquake, low" filter="&quot;hazard_type&quot; = 'earthquake' AND &quot;severity&quot; = 'low'"/>
      <rule key="{r21}" symbol="21" label="earthquake, moderate" filter="&quot;hazard_type&quot; = 'earthquake' AND &quot;severity&quot; = 'moderate'"/>
      <rule key="{r22}" symbol="22" label="earthquake, high" filter="&quot;hazard_type&quot; = 'earthquake' AND &quot;severity&quot; = 'high'"/>
      <rule key="{r23}" symbol="23" label="earthquake, extreme" filter="&quot;hazard_type&quot; = 'earthquake' AND &quot;severity&quot; = 'extreme'"/>
      <rule key="{r24}" symbol="24" label="tsunami, low" filter="&quot;hazard_type&quot; = 'tsunami' AND &quot;severity&quot; = 'low'"/>
      <rule key="{r25}" symbol="25" label="tsunami, moderate" filter="&quot;hazard_type&quot; = 'tsunami' AND &quot;severity&quot; = 'moderate'"/>
      <rule key="{r26}" symbol="26" label="tsunami, high" filter="&quot;hazard_type&quot; = 'tsunami' AND &quot;severity&quot; = 'high'"/>
      <rule key="{r27}" symbol="27" label="tsunami, extreme" filter="&quot;hazard_type&quot; = 'tsunami' AND &quot;severity&quot; = 'extreme'"/>
      <rule key="{r28}" symbol="28" label="heat, low" filter="&quot;hazard_type&quot; = 'heat' AND &quot;severity&quot; = 'low'"/>
      <rule key="{r29}" symbol="29" label="heat, moderate" filter="&quot;hazard_type&quot; = 'heat' AND &quot;severity&quot; = 'moderate'"/>
      <rule key="{r30}" symbol="30" label="heat, high" filter="&quot;hazard_type&quot; = 'heat' AND &quot;severity&quot; = 'high'"/>
      <rule key="{r31}" symbol="31" label="heat, extreme" filter="&quot;hazard_type&quot; = 'heat' AND &quot;severity&quot; = 'extreme'"/>
      <rule key="{r32}" symbol="32" label="wind, low" filter="&quot;hazard_type&quot; = 'wind' AND &quot;severity&quot; = 'low'"/>
      <rule key="{r33}" symbol="33" label="wind, moderate" filter="&quot;hazard_type&quot; = 'wind' AND &quot;severity&quot; = 'moderate'"/>
      <rule key="{r34}" symbol="34" label="wind, high" filter="&quot;hazard_type&quot; = 'wind' AND &quot;severity&quot; = 'high'"/>
      <rule key="{r35}" symbol="35" label="wind, extreme" filter="&quot;hazard_type&quot; = 'wind' AND &quot;severity&quot; = 'extreme'"/>
      <rule key="{r36}" symbol="36" label="other, low" filter="&quot;hazard_type&quot; = 'other' AND &quot;severity&quot; = 'low'"/>
      <rule key="{r37}" symbol="37" label="other, moderate" filter="&quot;hazard_type&quot; = 'other' AND &quot;severity&quot; = 'moderate'"/>
      <rule key="{r38}" symbol="38" label="other, high" filter="&quot;hazard_type&quot; = 'other' AND &quot;severity&quot; = 'high'"/>
      <rule key="{r39}" symbol="39" label="other, extreme" filter="&quot;hazard_type&quot; = 'other' AND &quot;severity&quot; = 'extreme'"/>
    </rules>
    <symbols>
    <symbol type="fill" name="0" alpha="0.2" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="43,131,186,255"/>
          <Option name="outline_color" type="QString" value="43,131,186,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="0.5"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="1" alpha="0.35" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="43,131,186,255"/>
          <Option name="outline_color" type="QString" value="43,131,186,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1.0"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="2" alpha="0.5" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="43,131,186,255"/>
          <Option name="outline_color" type="QString" value="43,131,186,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1.5"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="3" alpha="0.65" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="43,131,186,255"/>
          <Option name="outline_color" type="QString" value="43,131,186,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="2.5"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="4" alpha="0.2" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="31,78,121,255"/>
          <Option name="outline_color" type="QString" value="31,78,121,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="0.5"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="5" alpha="0.35" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="31,78,121,255"/>
          <Option name="outline_color" type="QString" value="31,78,121,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1.0"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="6" alpha="0.5" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="31,78,121,255"/>
          <Option name="outline_color" type="QString" value="31,78,121,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1.5"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="7" alpha="0.65" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="31,78,121,255"/>
          <Option name="outline_color" type="QString" value="31,78,121,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="2.5"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="8" alpha="0.2" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="140,81,10,255"/>
          <Option name="outline_color" type="QString" value="140,81,10,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="0.5"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="9" alpha="0.35" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="140,81,10,255"/>
          <Option name="outline_color" type="QString" value="140,81,10,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1.0"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="10" alpha="0.5" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="140,81,10,255"/>
          <Option name="outline_color" type="QString" value="140,81,10,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1.5"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="11" alpha="0.65" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="140,81,10,255"/>
          <Option name="outline_color" type="QString" value="140,81,10,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="2.5"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="12" alpha="0.2" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="215,25,28,255"/>
          <Option name="outline_color" type="QString" value="215,25,28,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="0.5"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="13" alpha="0.35" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="215,25,28,255"/>
          <Option name="outline_color" type="QString" value="215,25,28,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1.0"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="14" alpha="0.5" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="215,25,28,255"/>
          <Option name="outline_color" type="QString" value="215,25,28,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1.5"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="15" alpha="0.65" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="215,25,28,255"/>
          <Option name="outline_color" type="QString" value="215,25,28,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="2.5"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="16" alpha="0.2" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="123,50,148,255"/>
          <Option name="outline_color" type="QString" value="123,50,148,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="0.5"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="17" alpha="0.35" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="123,50,148,255"/>
          <Option name="outline_color" type="QString" value="123,50,148,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1.0"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="18" alpha="0.5" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="123,50,148,255"/>
          <Option name="outline_color" type="QString" value="123,50,148,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1.5"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="19" alpha="0.65" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="123,50,148,255"/>
          <Option name="outline_color" type="QString" value="123,50,148,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="2.5"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="20" alpha="0.2" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="166,97,26,255"/>
          <Option name="outline_color" type="QString" value="166,97,26,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="0.5"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="21" alpha="0.35" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="166,97,26,255"/>
          <Option name="outline_color" type="QString" value="166,97,26,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1.0"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="22" alpha="0.5" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="166,97,26,255"/>
          <Option name="outline_color" type="QString" value="166,97,26,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1.5"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="23" alpha="0.65" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="166,97,26,255"/>
          <Option name="outline_color" type="QString" value="166,97,26,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="2.5"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="24" alpha="0.2" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="5,113,176,255"/>
          <Option name="outline_color" type="QString" value="5,113,176,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="0.5"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="25" alpha="0.35" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="5,113,176,255"/>
          <Option name="outline_color" type="QString" value="5,113,176,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1.0"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="26" alpha="0.5" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="5,113,176,255"/>
          <Option name="outline_color" type="QString" value="5,113,176,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1.5"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="27" alpha="0.65" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="5,113,176,255"/>
          <Option name="outline_color" type="QString" value="5,113,176,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="2.5"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="28" alpha="0.2" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="253,174,97,255"/>
          <Option name="outline_color" type="QString" value="253,174,97,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="0.5"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="29" alpha="0.35" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="253,174,97,255"/>
          <Option name="outline_color" type="QString" value="253,174,97,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1.0"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="30" alpha="0.5" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="253,174,97,255"/>
          <Option name="outline_color" type="QString" value="253,174,97,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1.5"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="31" alpha="0.65" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="253,174,97,255"/>
          <Option name="outline_color" type="QString" value="253,174,97,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="2.5"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="32" alpha="0.2" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="128,205,193,255"/>
          <Option name="outline_color" type="QString" value="128,205,193,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="0.5"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="33" alpha="0.35" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="128,205,193,255"/>
          <Option name="outline_color" type="QString" value="128,205,193,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1.0"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="34" alpha="0.5" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="128,205,193,255"/>
          <Option name="outline_color" type="QString" value="128,205,193,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1.5"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="35" alpha="0.65" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="128,205,193,255"/>
          <Option name="outline_color" type="QString" value="128,205,193,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="2.5"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="36" alpha="0.2" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="153,153,153,255"/>
          <Option name="outline_color" type="QString" value="153,153,153,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="0.5"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="37" alpha="0.35" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="153,153,153,255"/>
          <Option name="outline_color" type="QString" value="153,153,153,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1.0"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="38" alpha="0.5" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="153,153,153,255"/>
          <Option name="outline_color" type="QString" value="153,153,153,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1.5"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="fill" name="39" alpha="0.65" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleFill" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="153,153,153,255"/>
          <Option name="outline_color" type="QString" value="153,153,153,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="2.5"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="style" type="QString" value="solid"/>
        </Option>
      </layer>
    </symbol>
    </symbols>
  </renderer-v2>
  <layerGeometryType>2</layerGeometryType>
</qgis>
