<?xml version="1.0" encoding="UTF-8"?>
<!-- gisserver: Response units by type; out of service greyed. Same colours and rules as units.qml and units.json. -->
<StyledLayerDescriptor version="1.1.0"
    xmlns="http://www.opengis.net/sld" xmlns:se="http://www.opengis.net/se"
    xmlns:ogc="http://www.opengis.net/ogc" xmlns:xlink="http://www.w3.org/1999/xlink"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd">
  <NamedLayer>
    <se:Name>units</se:Name>
    <UserStyle>
      <se:Name>units</se:Name>
      <se:Description><se:Title>Response units by type; out of service greyed</se:Title></se:Description>
      <se:FeatureTypeStyle>
        <se:Rule>
          <se:Name>fire_engine, available</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>fire_engine</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>available</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#d7191c</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>fire_engine, assigned</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>fire_engine</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>assigned</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#d7191c</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>fire_engine, en_route</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>fire_engine</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>en_route</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#d7191c</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>fire_engine, on_scene</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>fire_engine</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>on_scene</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#d7191c</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>fire_engine, returning</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>fire_engine</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>returning</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#d7191c</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>fire_engine, out_of_service</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>fire_engine</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>out_of_service</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#bdbdbd</se:SvgParameter><se:SvgParameter name="fill-opacity">0.6</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>ladder, available</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>ladder</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>available</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#a50f15</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>ladder, assigned</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>ladder</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>assigned</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#a50f15</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>ladder, en_route</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>ladder</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>en_route</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#a50f15</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>ladder, on_scene</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>ladder</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>on_scene</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#a50f15</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>ladder, returning</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>ladder</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>returning</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#a50f15</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>ladder, out_of_service</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>ladder</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>out_of_service</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#bdbdbd</se:SvgParameter><se:SvgParameter name="fill-opacity">0.6</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>ambulance, available</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>ambulance</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>available</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#1a9641</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>ambulance, assigned</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>ambulance</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>assigned</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#1a9641</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>ambulance, en_route</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>ambulance</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>en_route</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#1a9641</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>ambulance, on_scene</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>ambulance</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>on_scene</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#1a9641</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>ambulance, returning</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>ambulance</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>returning</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#1a9641</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>ambulance, out_of_service</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>ambulance</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>out_of_service</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#bdbdbd</se:SvgParameter><se:SvgParameter name="fill-opacity">0.6</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>police_car, available</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>police_car</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>available</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
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
          <se:Name>police_car, assigned</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>police_car</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>assigned</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
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
          <se:Name>police_car, en_route</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>police_car</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>en_route</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
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
          <se:Name>police_car, on_scene</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>police_car</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>on_scene</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
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
          <se:Name>police_car, returning</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>police_car</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>returning</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
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
          <se:Name>police_car, out_of_service</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>police_car</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>out_of_service</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#bdbdbd</se:SvgParameter><se:SvgParameter name="fill-opacity">0.6</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>rescue_team, available</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>rescue_team</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>available</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#fdae61</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>rescue_team, assigned</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>rescue_team</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>assigned</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#fdae61</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>rescue_team, en_route</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>rescue_team</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>en_route</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#fdae61</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>rescue_team, on_scene</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>rescue_team</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>on_scene</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#fdae61</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>rescue_team, returning</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>rescue_team</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>returning</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#fdae61</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>rescue_team, out_of_service</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>rescue_team</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>out_of_service</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#bdbdbd</se:SvgParameter><se:SvgParameter name="fill-opacity">0.6</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>hazmat, available</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>hazmat</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>available</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#7b3294</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>hazmat, assigned</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>hazmat</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>assigned</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#7b3294</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>hazmat, en_route</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>hazmat</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>en_route</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#7b3294</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>hazmat, on_scene</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>hazmat</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>on_scene</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#7b3294</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>hazmat, returning</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>hazmat</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>returning</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#7b3294</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>hazmat, out_of_service</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>hazmat</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>out_of_service</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#bdbdbd</se:SvgParameter><se:SvgParameter name="fill-opacity">0.6</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>command, available</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>command</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>available</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#252525</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>command, assigned</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>command</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>assigned</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#252525</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>command, en_route</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>command</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>en_route</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#252525</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>command, on_scene</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>command</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>on_scene</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#252525</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>command, returning</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>command</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>returning</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#252525</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>command, out_of_service</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>command</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>out_of_service</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#bdbdbd</se:SvgParameter><se:SvgParameter name="fill-opacity">0.6</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>other, available</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>other</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>available</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#8c510a</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>other, assigned</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>other</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>assigned</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#8c510a</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>other, en_route</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>other</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>en_route</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#8c510a</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>other, on_scene</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>other</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>on_scene</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#8c510a</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>other, returning</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>other</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>returning</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#8c510a</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>10</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>other, out_of_service</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>unit_type</ogc:PropertyName><ogc:Literal>other</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>out_of_service</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#bdbdbd</se:SvgParameter><se:SvgParameter name="fill-opacity">0.6</se:SvgParameter></se:Fill>
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
