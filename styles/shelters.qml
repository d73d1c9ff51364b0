<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<!-- gisserver: Shelters by status (colour) and free capacity (size). Same colours and rules as shelters.sld and shelters.json. -->
<qgis version="3.22.0" styleCategories="Symbology">
  <renderer-v2 type="RuleRenderer" symbollevels="0" enableorderby="0" forceraster="0">
    <rules key="{root}">
      <rule key="{r0}" symbol="0" label="open, &lt; 1 free places" filter="&quot;status&quot; = 'open' AND &quot;free_capacity&quot; &lt; 1"/>
      <rule key="{r1}" symbol="1" label="open, 1-49 free places" filter="&quot;status&quot; = 'open' AND &quot;free_capacity&quot; &gt;= 1 AND &quot;free_capacity&quot; &lt; 50"/>
      <rule key="{r2}" symbol="2" label="open, 50-199 free places" filter="&quot;status&quot; = 'open' AND &quot;free_capacity&quot; &gt;= 50 AND &quot;free_capacity&quot; &lt; 200"/>
      <rule key="{r3}" symbol="3" label="open, 200+ free places" filter="&quot;status&quot; = 'open' AND &quot;free_capacity&quot; &gt;= 200"/>
      <rule key="{r4}" symbol="4" label="full" filter="&quot;status&quot; = 'full'"/>
      <rule key="{r5}" symbol="5" label="standby" filter="&quot;status&quot; = 'standby'"/>
      <rule key="{r6}" symbol="6" label="closed" filter="&quot;status&quot; = 'closed'"/>
    </rules>
    <symbols>
    <symbol type="marker" name="0" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="26,150,65,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="8"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="1" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="26,150,65,255"/>
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
          <Option name="color" type="QString" value="26,150,65,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="16"/>
          <Option name="size_unit" type="QString" value="Pixel"/>
        </Option>
      </layer>
    </symbol>
    <symbol type="marker" name="3" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="26,150,65,255"/>
          <Option name="name" type="QString" value="circle"/>
          <Option name="outline_color" type="QString" value="255,255,255,255"/>
          <Option name="outline_style" type="QString" value="solid"/>
          <Option name="outline_width" type="QString" value="1"/>
          <Option name="outline_width_unit" type="QString" value="Pixel"/>
          <Option name="size" type="QString" value="20"/>
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
    <symbol type="marker" name="5" alpha="1.0" clip_to_extent="1" force_rhr="0">
      <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
        <Option type="Map">
          <Option name="color" type="QString" value="1,133,113,255"/>
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
