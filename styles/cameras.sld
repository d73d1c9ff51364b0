<?xml version="1.0" encoding="UTF-8"?>
<!-- gisserver: Cameras by status. Same colours and rules as cameras.qml and cameras.json. -->
<StyledLayerDescriptor version="1.1.0"
    xmlns="http://www.opengis.net/sld" xmlns:se="http://www.opengis.net/se"
    xmlns:ogc="http://www.opengis.net/ogc" xmlns:xlink="http://www.w3.org/1999/xlink"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd">
  <NamedLayer>
    <se:Name>cameras</se:Name>
    <UserStyle>
      <se:Name>cameras</se:Name>
      <se:Description><se:Title>Cameras by status</se:Title></se:Description>
      <se:FeatureTypeStyle>
        <se:Rule>
          <se:Name>online</se:Name>
          <ogc:Filter><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>online</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#2c7bb6</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>offline</se:Name>
          <ogc:Filter><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>offline</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#7f7f7f</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
      </se:FeatureTypeStyle>
    </UserStyle>
  </NamedLayer>
</StyledLayerDescriptor>
