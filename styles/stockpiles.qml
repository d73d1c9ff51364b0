<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<!-- gisserver: Stockpiles by kind (colour) and status (opacity). Same colours and rules as stockpiles.sld and stockpiles.json. -->
<qgis version="3.22.0" styleCategories="Symbology">
  <renderer-v2 type="RuleRenderer" symbollevels="0" enableorderby="0" forceraster="0">
    <rules key="{root}">
      <rule key="{r0}" symbol="0" label="depot, active" filter="&quot;kind&quot; = 'depot' AND &quot;status&quot; = 'active'"/>
      <rule key="{r1}" symbol="1" label="depot, inactive" filter="&quot;kind&quot; = 'depot' AND &quot;status&quot; = 'inactive'"/>
      <rule key="{r2}" symbol="2" label="warehouse, active" filter="&quot;kind&quot; = 'warehouse' AND &quot;status&quot; = 'active'"/>
      <rule key="{r3}" symbol="3" label="warehouse, inactive" filter="&quot;kind&quot; = 'warehouse' AND &quot;status&quot; = 'inactive'"/>
      <rule key="{r4}" symbol="4" label="cache, active" filter="&quot;kind&quot; = 'cache' AND &quot;status&quot; = 'active'"/>
      <rule key="{r5}" symbol="5" label="cache, inactive" filter="&quot;kind&quot; = 'cache' AND &quot;status&quot; = 'inactive'"/>
    </rules>
    <symbols>
    <symbol type="marker" name="0" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="140,81,10,255"/>
          <Option name="name" type="QString" value="square"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="1" alpha="0.4" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="140,81,10,255"/>
          <Option name="name" type="QString" value="square"/>
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
          <Option name="color" type="QString" value="84,48,5,255"/>
          <Option name="name" type="QString" value="square"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="3" alpha="0.4" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="84,48,5,255"/>
          <Option name="name" type="QString" value="square"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="4" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="191,129,45,255"/>
          <Option name="name" type="QString" value="square"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="12"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="5" alpha="0.4" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="191,129,45,255"/>
          <Option name="name" type="QString" value="square"/>
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
