<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<!-- gisserver: Cameras by status. Same colours and rules as cameras.sld and cameras.json. -->
<qgis version="3.22.0" styleCategories="Symbology">
  <renderer-v2 type="RuleRenderer" symbollevels="0" enableorderby="0" forceraster="0">
    <rules key="{root}">
      <rule key="{r0}" symbol="0" label="online" filter="&quot;status&quot; = 'online'"/>
      <rule key="{r1}" symbol="1" label="offline" filter="&quot;status&quot; = 'offline'"/>
    </rules>
    <symbols>
    <symbol type="marker" name="0" alpha="1.0" clip_to_extent="1" force_rhr="0">
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
    <symbol type="marker" name="1" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="127,127,127,255"/>
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
