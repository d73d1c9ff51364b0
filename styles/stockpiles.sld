<?xml version="1.0" encoding="UTF-8"?>
<!-- gisserver: Stockpiles by kind (colour) and status (opacity). Same colours and rules as stockpiles.qml and stockpiles.json. -->
<StyledLayerDescriptor version="1.1.0"
    xmlns="http://www.opengis.net/sld" xmlns:se="http://www.opengis.net/se"
    xmlns:ogc="http://www.opengis.net/ogc" xmlns:xlink="http://www.w3.org/1999/xlink"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd">
  <NamedLayer>
    <se:Name>stockpiles</se:Name>
    <UserStyle>
      <se:Name>stockpiles</se:Name>
      <se:Description><se:Title>Stockpiles by kind (colour) and status (opacity)</se:Title></se:Description>
      <se:FeatureTypeStyle>
        <se:Rule>
          <se:Name>depot, active</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>kind</ogc:PropertyName><ogc:Literal>depot</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>active</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>square</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#8c510a</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>depot, inactive</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>kind</ogc:PropertyName><ogc:Literal>depot</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>inactive</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>square</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#8c510a</se:SvgParameter><se:SvgParameter name="fill-opacity">0.4</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>warehouse, active</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>kind</ogc:PropertyName><ogc:Literal>warehouse</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>active</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>square</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#543005</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>warehouse, inactive</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>kind</ogc:PropertyName><ogc:Literal>warehouse</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>inactive</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>square</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#543005</se:SvgParameter><se:SvgParameter name="fill-opacity">0.4</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>cache, active</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>kind</ogc:PropertyName><ogc:Literal>cache</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>active</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>square</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#bf812d</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>cache, inactive</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>kind</ogc:PropertyName><ogc:Literal>cache</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>inactive</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>square</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#bf812d</se:SvgParameter><se:SvgParameter name="fill-opacity">0.4</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
      </se:FeatureTypeStyle>
    </UserStyle>
  </NamedLayer>
</StyledLayerDescriptor>
