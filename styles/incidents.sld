<?xml version="1.0" encoding="UTF-8"?>
<!-- gisserver: Incidents by type (colour) and status (opacity). Same colours and rules as incidents.qml and incidents.json. -->
<StyledLayerDescriptor version="1.1.0"
    xmlns="http://www.opengis.net/sld" xmlns:se="http://www.opengis.net/se"
    xmlns:ogc="http://www.opengis.net/ogc" xmlns:xlink="http://www.w3.org/1999/xlink"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd">
  <NamedLayer>
    <se:Name>incidents</se:Name>
    <UserStyle>
      <se:Name>incidents</se:Name>
      <se:Description><se:Title>Incidents by type (colour) and status (opacity)</se:Title></se:Description>
      <se:FeatureTypeStyle>
        <se:Rule>
          <se:Name>fire, reported</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>fire</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>reported</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#d7191c</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#d7191c</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>fire, verified</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>fire</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>verified</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#d7191c</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#d7191c</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>fire, responding</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>fire</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>responding</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#d7191c</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#d7191c</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>fire, contained</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>fire</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>contained</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#d7191c</se:SvgParameter><se:SvgParameter name="fill-opacity">0.55</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#d7191c</se:SvgParameter><se:SvgParameter name="fill-opacity">0.55</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>fire, resolved</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>fire</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>resolved</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#d7191c</se:SvgParameter><se:SvgParameter name="fill-opacity">0.3</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#d7191c</se:SvgParameter><se:SvgParameter name="fill-opacity">0.3</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>fire, closed</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>fire</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>closed</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#d7191c</se:SvgParameter><se:SvgParameter name="fill-opacity">0.2</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#d7191c</se:SvgParameter><se:SvgParameter name="fill-opacity">0.2</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>fire, cancelled</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>fire</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>cancelled</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#d7191c</se:SvgParameter><se:SvgParameter name="fill-opacity">0.15</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#d7191c</se:SvgParameter><se:SvgParameter name="fill-opacity">0.15</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>flood, reported</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>flood</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>reported</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#2b83ba</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#2b83ba</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>flood, verified</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>flood</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>verified</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#2b83ba</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#2b83ba</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>flood, responding</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>flood</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>responding</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#2b83ba</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#2b83ba</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>flood, contained</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>flood</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>contained</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#2b83ba</se:SvgParameter><se:SvgParameter name="fill-opacity">0.55</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#2b83ba</se:SvgParameter><se:SvgParameter name="fill-opacity">0.55</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>flood, resolved</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>flood</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>resolved</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#2b83ba</se:SvgParameter><se:SvgParameter name="fill-opacity">0.3</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#2b83ba</se:SvgParameter><se:SvgParameter name="fill-opacity">0.3</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>flood, closed</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>flood</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>closed</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#2b83ba</se:SvgParameter><se:SvgParameter name="fill-opacity">0.2</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#2b83ba</se:SvgParameter><se:SvgParameter name="fill-opacity">0.2</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>flood, cancelled</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>flood</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>cancelled</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#2b83ba</se:SvgParameter><se:SvgParameter name="fill-opacity">0.15</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#2b83ba</se:SvgParameter><se:SvgParameter name="fill-opacity">0.15</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>chemical, reported</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>chemical</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>reported</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#7b3294</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#7b3294</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>chemical, verified</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>chemical</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>verified</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#7b3294</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#7b3294</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>chemical, responding</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>chemical</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>responding</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#7b3294</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#7b3294</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>chemical, contained</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>chemical</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>contained</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#7b3294</se:SvgParameter><se:SvgParameter name="fill-opacity">0.55</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#7b3294</se:SvgParameter><se:SvgParameter name="fill-opacity">0.55</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>chemical, resolved</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>chemical</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>resolved</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#7b3294</se:SvgParameter><se:SvgParameter name="fill-opacity">0.3</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#7b3294</se:SvgParameter><se:SvgParameter name="fill-opacity">0.3</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>chemical, closed</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>chemical</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>closed</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#7b3294</se:SvgParameter><se:SvgParameter name="fill-opacity">0.2</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#7b3294</se:SvgParameter><se:SvgParameter name="fill-opacity">0.2</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>chemical, cancelled</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>chemical</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>cancelled</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#7b3294</se:SvgParameter><se:SvgParameter name="fill-opacity">0.15</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#7b3294</se:SvgParameter><se:SvgParameter name="fill-opacity">0.15</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>collision, reported</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>collision</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>reported</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#fdae61</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#fdae61</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>collision, verified</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>collision</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>verified</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#fdae61</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#fdae61</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>collision, responding</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>collision</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>responding</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#fdae61</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#fdae61</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>collision, contained</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>collision</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>contained</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#fdae61</se:SvgParameter><se:SvgParameter name="fill-opacity">0.55</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#fdae61</se:SvgParameter><se:SvgParameter name="fill-opacity">0.55</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>collision, resolved</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>collision</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>resolved</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#fdae61</se:SvgParameter><se:SvgParameter name="fill-opacity">0.3</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#fdae61</se:SvgParameter><se:SvgParameter name="fill-opacity">0.3</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>collision, closed</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>collision</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>closed</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#fdae61</se:SvgParameter><se:SvgParameter name="fill-opacity">0.2</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#fdae61</se:SvgParameter><se:SvgParameter name="fill-opacity">0.2</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>collision, cancelled</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>collision</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>cancelled</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#fdae61</se:SvgParameter><se:SvgParameter name="fill-opacity">0.15</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#fdae61</se:SvgParameter><se:SvgParameter name="fill-opacity">0.15</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>medical, reported</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>medical</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>reported</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#e7298a</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#e7298a</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>medical, verified</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>medical</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>verified</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#e7298a</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#e7298a</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>medical, responding</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>medical</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>responding</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#e7298a</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#e7298a</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>medical, contained</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>medical</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>contained</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#e7298a</se:SvgParameter><se:SvgParameter name="fill-opacity">0.55</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#e7298a</se:SvgParameter><se:SvgParameter name="fill-opacity">0.55</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>medical, resolved</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>medical</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>resolved</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#e7298a</se:SvgParameter><se:SvgParameter name="fill-opacity">0.3</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#e7298a</se:SvgParameter><se:SvgParameter name="fill-opacity">0.3</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>medical, closed</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>medical</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>closed</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#e7298a</se:SvgParameter><se:SvgParameter name="fill-opacity">0.2</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#e7298a</se:SvgParameter><se:SvgParameter name="fill-opacity">0.2</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>medical, cancelled</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>medical</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>cancelled</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#e7298a</se:SvgParameter><se:SvgParameter name="fill-opacity">0.15</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#e7298a</se:SvgParameter><se:SvgParameter name="fill-opacity">0.15</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>structural, reported</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>structural</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>reported</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#8c510a</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#8c510a</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>structural, verified</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>structural</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>verified</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#8c510a</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#8c510a</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>structural, responding</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>structural</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>responding</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#8c510a</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#8c510a</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>structural, contained</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>structural</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>contained</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#8c510a</se:SvgParameter><se:SvgParameter name="fill-opacity">0.55</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#8c510a</se:SvgParameter><se:SvgParameter name="fill-opacity">0.55</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>structural, resolved</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>structural</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>resolved</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#8c510a</se:SvgParameter><se:SvgParameter name="fill-opacity">0.3</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#8c510a</se:SvgParameter><se:SvgParameter name="fill-opacity">0.3</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>structural, closed</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>structural</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>closed</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#8c510a</se:SvgParameter><se:SvgParameter name="fill-opacity">0.2</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#8c510a</se:SvgParameter><se:SvgParameter name="fill-opacity">0.2</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>structural, cancelled</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>structural</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>cancelled</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#8c510a</se:SvgParameter><se:SvgParameter name="fill-opacity">0.15</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#8c510a</se:SvgParameter><se:SvgParameter name="fill-opacity">0.15</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>power outage, reported</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>power_outage</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>reported</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#ffd92f</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#ffd92f</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>power outage, verified</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>power_outage</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>verified</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#ffd92f</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#ffd92f</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>power outage, responding</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>power_outage</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>responding</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#ffd92f</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#ffd92f</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>power outage, contained</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>power_outage</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>contained</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#ffd92f</se:SvgParameter><se:SvgParameter name="fill-opacity">0.55</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#ffd92f</se:SvgParameter><se:SvgParameter name="fill-opacity">0.55</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>power outage, resolved</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>power_outage</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>resolved</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#ffd92f</se:SvgParameter><se:SvgParameter name="fill-opacity">0.3</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#ffd92f</se:SvgParameter><se:SvgParameter name="fill-opacity">0.3</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>power outage, closed</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>power_outage</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>closed</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#ffd92f</se:SvgParameter><se:SvgParameter name="fill-opacity">0.2</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#ffd92f</se:SvgParameter><se:SvgParameter name="fill-opacity">0.2</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>power outage, cancelled</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>power_outage</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>cancelled</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#ffd92f</se:SvgParameter><se:SvgParameter name="fill-opacity">0.15</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#ffd92f</se:SvgParameter><se:SvgParameter name="fill-opacity">0.15</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>gas leak, reported</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>gas_leak</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>reported</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#66a61e</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#66a61e</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>gas leak, verified</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>gas_leak</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>verified</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#66a61e</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#66a61e</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>gas leak, responding</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>gas_leak</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>responding</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#66a61e</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#66a61e</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>gas leak, contained</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>gas_leak</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>contained</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#66a61e</se:SvgParameter><se:SvgParameter name="fill-opacity">0.55</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#66a61e</se:SvgParameter><se:SvgParameter name="fill-opacity">0.55</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>gas leak, resolved</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>gas_leak</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>resolved</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#66a61e</se:SvgParameter><se:SvgParameter name="fill-opacity">0.3</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#66a61e</se:SvgParameter><se:SvgParameter name="fill-opacity">0.3</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>gas leak, closed</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>gas_leak</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>closed</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#66a61e</se:SvgParameter><se:SvgParameter name="fill-opacity">0.2</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#66a61e</se:SvgParameter><se:SvgParameter name="fill-opacity">0.2</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>gas leak, cancelled</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>gas_leak</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>cancelled</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#66a61e</se:SvgParameter><se:SvgParameter name="fill-opacity">0.15</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#66a61e</se:SvgParameter><se:SvgParameter name="fill-opacity">0.15</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>storm damage, reported</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>storm_damage</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>reported</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#1f4e79</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#1f4e79</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>storm damage, verified</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>storm_damage</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>verified</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#1f4e79</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#1f4e79</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>storm damage, responding</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>storm_damage</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>responding</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#1f4e79</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#1f4e79</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>storm damage, contained</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>storm_damage</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>contained</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#1f4e79</se:SvgParameter><se:SvgParameter name="fill-opacity">0.55</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#1f4e79</se:SvgParameter><se:SvgParameter name="fill-opacity">0.55</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>storm damage, resolved</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>storm_damage</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>resolved</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#1f4e79</se:SvgParameter><se:SvgParameter name="fill-opacity">0.3</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#1f4e79</se:SvgParameter><se:SvgParameter name="fill-opacity">0.3</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>storm damage, closed</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>storm_damage</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>closed</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#1f4e79</se:SvgParameter><se:SvgParameter name="fill-opacity">0.2</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#1f4e79</se:SvgParameter><se:SvgParameter name="fill-opacity">0.2</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>storm damage, cancelled</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>storm_damage</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>cancelled</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#1f4e79</se:SvgParameter><se:SvgParameter name="fill-opacity">0.15</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#1f4e79</se:SvgParameter><se:SvgParameter name="fill-opacity">0.15</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>other, reported</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>other</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>reported</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#999999</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#999999</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>other, verified</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>other</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>verified</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#999999</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#999999</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>other, responding</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>other</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>responding</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#999999</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#999999</se:SvgParameter><se:SvgParameter name="fill-opacity">1.0</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>other, contained</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>other</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>contained</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#999999</se:SvgParameter><se:SvgParameter name="fill-opacity">0.55</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#999999</se:SvgParameter><se:SvgParameter name="fill-opacity">0.55</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>other, resolved</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>other</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>resolved</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#999999</se:SvgParameter><se:SvgParameter name="fill-opacity">0.3</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#999999</se:SvgParameter><se:SvgParameter name="fill-opacity">0.3</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>other, closed</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>other</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>closed</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#999999</se:SvgParameter><se:SvgParameter name="fill-opacity">0.2</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#999999</se:SvgParameter><se:SvgParameter name="fill-opacity">0.2</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>other, cancelled</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>incident_type</ogc:PropertyName><ogc:Literal>other</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>cancelled</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PointSymbolizer>
            <se:Graphic>
              <se:Mark><se:WellKnownName>circle</se:WellKnownName>
                <se:Fill><se:SvgParameter name="fill">#999999</se:SvgParameter><se:SvgParameter name="fill-opacity">0.15</se:SvgParameter></se:Fill>
                <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
              </se:Mark>
              <se:Size>12</se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#999999</se:SvgParameter><se:SvgParameter name="fill-opacity">0.15</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
      </se:FeatureTypeStyle>
    </UserStyle>
  </NamedLayer>
</StyledLayerDescriptor>
