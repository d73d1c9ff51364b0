<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<!-- gisserver: Response units by type; out of service greyed. Same colours and rules as units.sld and units.json. -->
<qgis version="3.22.0" styleCategories="Symbology">
  <renderer-v2 type="RuleRenderer" symbollevels="0" enableorderby="0" forceraster="0">
    <rules key="{root}">
      <rule key="{r0}" symbol="0" label="fire_engine, available" filter="&quot;unit_type&quot; = 'fire_engine' AND &quot;status&quot; = 'available'"/>
      <rule key="{r1}" symbol="1" label="fire_engine, assigned" filter="&quot;unit_type&quot; = 'fire_engine' AND &quot;status&quot; = 'assigned'"/>
      <rule key="{r2}" symbol="2" label="fire_engine, en_route" filter="&quot;unit_type&quot; = 'fire_engine' AND &quot;status&quot; = 'en_route'"/>
      <rule key="{r3}" symbol="3" label="fire_engine, on_scene" filter="&quot;unit_type&quot; = 'fire_engine' AND &quot;status&quot; = 'on_scene'"/>
      <rule key="{r4}" symbol="4" label="fire_engine, returning" filter="&quot;unit_type&quot; = 'fire_engine' AND &quot;status&quot; = 'returning'"/>
      <rule key="{r5}" symbol="5" label="fire_engine, out_of_service" filter="&quot;unit_type&quot; = 'fire_engine' AND &quot;status&quot; = 'out_of_service'"/>
      <rule key="{r6}" symbol="6" label="ladder, available" filter="&quot;unit_type&quot; = 'ladder' AND &quot;status&quot; = 'available'"/>
      <rule key="{r7}" symbol="7" label="ladder, assigned" filter="&quot;unit_type&quot; = 'ladder' AND &quot;status&quot; = 'assigned'"/>
      <rule key="{r8}" symbol="8" label="ladder, en_route" filter="&quot;unit_type&quot; = 'ladder' AND &quot;status&quot; = 'en_route'"/>
      <rule key="{r9}" symbol="9" label="ladder, on_scene" filter="&quot;unit_type&quot; = 'ladder' AND &quot;status&quot; = 'on_scene'"/>
      <rule key="{r10}" symbol="10" label="ladder, returning" filter="&quot;unit_type&quot; = 'ladder' AND &quot;status&quot; = 'returning'"/>
      <rule key="{r11}" symbol="11" label="ladder, out_of_service" filter="&quot;unit_type&quot; = 'ladder' AND &quot;status&quot; = 'out_of_service'"/>
      <rule key="{r12}" symbol="12" label="ambulance, available" filter="&quot;unit_type&quot; = 'ambulance' AND &quot;status&quot; = 'available'"/>
      <rule key="{r13}" symbol="13" label="ambulance, assigned" filter="&quot;unit_type&quot; = 'ambulance' AND &quot;status&quot; = 'assigned'"/>
      <rule key="{r14}" symbol="14" label="ambulance, en_route" filter="&quot;unit_type&quot; = 'ambulance' AND &quot;status&quot; = 'en_route'"/>
      <rule key="{r15}" symbol="15" label="ambulance, on_scene" filter="&quot;unit_type&quot; = 'ambulance' AND &quot;status&quot; = 'on_scene'"/>
      <rule key="{r16}" symbol="16" label="ambulance, returning" filter="&quot;unit_type&quot; = 'ambulance' AND &quot;status&quot; = 'returning'"/>
      <rule key="{r17}" symbol="17" label="ambulance, out_of_service" filter="&quot;unit_type&quot; = 'ambulance' AND &quot;status&quot; = 'out_of_service'"/>
      <rule key="{r18}" symbol="18" label="police_car, available" filter="&quot;unit_type&quot; = 'police_car' AND &quot;status&quot; = 'available'"/>
      <rule key="{r19}" symbol="19" label="police_car, assigned" filter="&quot;unit_type&quot; = 'police_car' AND &quot;status&quot; = 'assigned'"/>
      <rule key="{r20}" symbol="20" label="police_car, en_route" filter="&quot;unit_type&quot; = 'police_car' AND &quot;status&quot; = 'en_route'"/>
      <rule key="{r21}" symbol="21" label="police_car, on_scene" filter="&quot;unit_type&quot; = 'police_car' AND &quot;status&quot; = 'on_scene'"/>
      <rule key="{r22}" symbol="22" label="police_car, returning" filter="&quot;unit_type&quot; = 'police_car' AND &quot;status&quot; = 'returning'"/>
      <rule key="{r23}" symbol="23" label="police_car, out_of_service" filter="&quot;unit_type&quot; = 'police_car' AND &quot;status&quot; = 'out_of_service'"/>
      <rule key="{r24}" symbol="24" label="rescue_team, available" filter="&quot;unit_type&quot; = 'rescue_team' AND &quot;status&quot; = 'available'"/>
      <rule key="{r25}" symbol="25" label="rescue_team, assigned" filter="&quot;unit_type&quot; = 'rescue_team' AND &quot;status&quot; = 'assigned'"/>
      <rule key="{r26}" symbol="26" label="rescue_team, en_route" filter="&quot;unit_type&quot; = 'rescue_team' AND &quot;status&quot; = 'en_route'"/>
      <rule key="{r27}" symbol="27" label="rescue_team, on_scene" filter="&quot;unit_type&quot; = 'rescue_team' AND &quot;status&quot; = 'on_scene'"/>
      <rule key="{r28}" symbol="28" label="rescue_team, returning" filter="&quot;unit_type&quot; = 'rescue_team' AND &quot;status&quot; = 'returning'"/>
      <rule key="{r29}" symbol="29" label="rescue_team, out_of_service" filter="&quot;unit_type&quot; = 'rescue_team' AND &quot;status&quot; = 'out_of_service'"/>
      <rule key="{r30}" symbol="30" label="hazmat, available" filter="&quot;unit_type&quot; = 'hazmat' AND &quot;status&quot; = 'available'"/>
      <rule key="{r31}" symbol="31" label="hazmat, assigned" filter="&quot;unit_type&quot; = 'hazmat' AND &quot;status&quot; = 'assigned'"/>
      <rule key="{r32}" symbol="32" label="hazmat, en_route" filter="&quot;unit_type&quot; = 'hazmat' AND &quot;status&quot; = 'en_route'"/>
      <rule key="{r33}" symbol="33" label="hazmat, on_scene" filter="&quot;unit_type&quot; = 'hazmat' AND &quot;status&quot; = 'on_scene'"/>
      <rule key="{r34}" symbol="34" label="hazmat, returning" filter="&quot;unit_type&quot; = 'hazmat' AND &quot;status&quot; = 'returning'"/>
      <rule key="{r35}" symbol="35" label="hazmat, out_of_service" filter="&quot;unit_type&quot; = 'hazmat' AND &quot;status&quot; = 'out_of_service'"/>
      <rule key="{r36}" symbol="36" label="command, available" filter="&quot;unit_type&quot; = 'command' AND &quot;status&quot; = 'available'"/>
      <rule key="{r37}" symbol="37" label="command, assigned" filter="&quot;unit_type&quot; = 'command' AND &quot;status&quot; = 'assigned'"/>
      <rule key="{r38}" symbol="38" label="command, en_route" filter="&quot;unit_type&quot; = 'command' AND &quot;status&quot; = 'en_route'"/>
      <rule key="{r39}" symbol="39" label="command, on_scene" filter="&quot;unit_type&quot; = 'command' AND &quot;status&quot; = 'on_scene'"/>
      <rule key="{r40}" symbol="40" label="command, returning" filter="&quot;unit_type&quot; = 'command' AND &quot;status&quot; = 'returning'"/>
      <rule key="{r41}" symbol="41" label="command, out_of_service" filter="&quot;unit_type&quot; = 'command' AND &quot;status&quot; = 'out_of_service'"/>
      <rule key="{r42}" symbol="42" label="other, available" filter="&quot;unit_type&quot; = 'other' AND &quot;status&quot; = 'available'"/>
      <rule key="{r43}" symbol="43" label="other, assigned" filter="&quot;unit_type&quot; = 'other' AND &quot;status&quot; = 'assigned'"/>
      <rule key="{r44}" symbol="44" label="other, en_route" filter="&quot;unit_type&quot; = 'other' AND &quot;status&quot; = 'en_route'"/>
      <rule key="{r45}" symbol="45" label="other, on_scene" filter="&quot;unit_type&quot; = 'other' AND &quot;status&quot; = 'on_scene'"/>
      <rule key="{r46}" symbol="46" label="other, returning" filter="&quot;unit_type&quot; = 'other' AND &quot;status&quot; = 'returning'"/>
      <rule key="{r47}" symbol="47" label="other, out_of_service" filter="&quot;unit_type&quot; = 'other' AND &quot;status&quot; = 'out_of_service'"/>
    </rules>
    <symbols>
    <symbol type="marker" name="0" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="215,25,28,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="1" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="215,25,28,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
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
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="3" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="215,25,28,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="4" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="215,25,28,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="5" alpha="0.6" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="189,189,189,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="6" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="165,15,21,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="7" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="165,15,21,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="8" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="165,15,21,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="9" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="165,15,21,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="10" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="165,15,21,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="11" alpha="0.6" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="189,189,189,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="12" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="26,150,65,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="13" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="26,150,65,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="14" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="26,150,65,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="15" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="26,150,65,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="16" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="26,150,65,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="17" alpha="0.6" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="189,189,189,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="18" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="44,123,182,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="19" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="44,123,182,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="20" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="44,123,182,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="21" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="44,123,182,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="22" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="44,123,182,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="23" alpha="0.6" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="189,189,189,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="24" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="253,174,97,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="25" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="253,174,97,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="26" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="253,174,97,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="27" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="253,174,97,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="28" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="253,174,97,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="29" alpha="0.6" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="189,189,189,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="30" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="123,50,148,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="31" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="123,50,148,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="32" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="123,50,148,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="33" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="123,50,148,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="34" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="123,50,148,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="35" alpha="0.6" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="189,189,189,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="36" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="37,37,37,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="37" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="37,37,37,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="38" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="37,37,37,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="39" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="37,37,37,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="40" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="37,37,37,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="41" alpha="0.6" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="189,189,189,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="42" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="140,81,10,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="43" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="140,81,10,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="44" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="140,81,10,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="45" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="140,81,10,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="46" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="140,81,10,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="47" alpha="0.6" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="189,189,189,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="10"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    </symbols>
  </renderer-v2>
  <layerGeometryType>0</layerGeometryType>
</qgis>
