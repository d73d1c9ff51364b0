<?xml version="1.0" encoding="UTF-8"?>
<!-- gisserver: Hazard zones by type (colour) and severity (opacity, outline). Same colours and rules as hazard_zones.qml and hazard_zones.json. -->
<StyledLayerDescriptor version="1.1.0"
    xmlns="http://www.opengis.net/sld" xmlns:se="http://www.opengis.net/se"
    xmlns:ogc="http://www.opengis.net/ogc" xmlns:xlink="http://www.w3.org/1999/xlink"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd">
  <NamedLayer>
    <se:Name>hazard_zones</se:Name>
    <UserStyle>
      <se:Name>hazard_zones</se:Name>
      <se:Description><se:Title>Hazard zones by type (colour) and severity (opacity, outline)</se:Title></se:Description>
      <se:FeatureTypeStyle>
        <se:Rule>
          <se:Name>flood, low</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>flood</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>low</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#2b83ba</se:SvgParameter><se:SvgParameter name="fill-opacity">0.2</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#2b83ba</se:SvgParameter><se:SvgParameter name="stroke-width">0.5</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>flood, moderate</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>flood</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>moderate</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#2b83ba</se:SvgParameter><se:SvgParameter name="fill-opacity">0.35</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#2b83ba</se:SvgParameter><se:SvgParameter name="stroke-width">1.0</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>flood, high</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>flood</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>high</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#2b83ba</se:SvgParameter><se:SvgParameter name="fill-opacity">0.5</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#2b83ba</se:SvgParameter><se:SvgParameter name="stroke-width">1.5</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>flood, extreme</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>flood</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>extreme</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#2b83ba</se:SvgParameter><se:SvgParameter name="fill-opacity">0.65</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#2b83ba</se:SvgParameter><se:SvgParameter name="stroke-width">2.5</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>storm surge, low</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>storm_surge</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>low</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#1f4e79</se:SvgParameter><se:SvgParameter name="fill-opacity">0.2</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#1f4e79</se:SvgParameter><se:SvgParameter name="stroke-width">0.5</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>storm surge, moderate</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>storm_surge</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>moderate</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#1f4e79</se:SvgParameter><se:SvgParameter name="fill-opacity">0.35</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#1f4e79</se:SvgParameter><se:SvgParameter name="stroke-width">1.0</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>storm surge, high</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>storm_surge</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>high</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#1f4e79</se:SvgParameter><se:SvgParameter name="fill-opacity">0.5</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#1f4e79</se:SvgParameter><se:SvgParameter name="stroke-width">1.5</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>storm surge, extreme</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>storm_surge</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>extreme</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#1f4e79</se:SvgParameter><se:SvgParameter name="fill-opacity">0.65</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#1f4e79</se:SvgParameter><se:SvgParameter name="stroke-width">2.5</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>landslide, low</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>landslide</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>low</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#8c510a</se:SvgParameter><se:SvgParameter name="fill-opacity">0.2</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#8c510a</se:SvgParameter><se:SvgParameter name="stroke-width">0.5</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>landslide, moderate</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>landslide</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>moderate</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#8c510a</se:SvgParameter><se:SvgParameter name="fill-opacity">0.35</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#8c510a</se:SvgParameter><se:SvgParameter name="stroke-width">1.0</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>landslide, high</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>landslide</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>high</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#8c510a</se:SvgParameter><se:SvgParameter name="fill-opacity">0.5</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#8c510a</se:SvgParameter><se:SvgParameter name="stroke-width">1.5</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>landslide, extreme</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>landslide</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>extreme</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#8c510a</se:SvgParameter><se:SvgParameter name="fill-opacity">0.65</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#8c510a</se:SvgParameter><se:SvgParameter name="stroke-width">2.5</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>fire, low</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>fire</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>low</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#d7191c</se:SvgParameter><se:SvgParameter name="fill-opacity">0.2</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#d7191c</se:SvgParameter><se:SvgParameter name="stroke-width">0.5</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>fire, moderate</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>fire</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>moderate</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#d7191c</se:SvgParameter><se:SvgParameter name="fill-opacity">0.35</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#d7191c</se:SvgParameter><se:SvgParameter name="stroke-width">1.0</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>fire, high</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>fire</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>high</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#d7191c</se:SvgParameter><se:SvgParameter name="fill-opacity">0.5</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#d7191c</se:SvgParameter><se:SvgParameter name="stroke-width">1.5</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>fire, extreme</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>fire</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>extreme</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#d7191c</se:SvgParameter><se:SvgParameter name="fill-opacity">0.65</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#d7191c</se:SvgParameter><se:SvgParameter name="stroke-width">2.5</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>chemical, low</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>chemical</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>low</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#7b3294</se:SvgParameter><se:SvgParameter name="fill-opacity">0.2</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#7b3294</se:SvgParameter><se:SvgParameter name="stroke-width">0.5</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>chemical, moderate</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>chemical</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>moderate</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#7b3294</se:SvgParameter><se:SvgParameter name="fill-opacity">0.35</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#7b3294</se:SvgParameter><se:SvgParameter name="stroke-width">1.0</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>chemical, high</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>chemical</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>high</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#7b3294</se:SvgParameter><se:SvgParameter name="fill-opacity">0.5</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#7b3294</se:SvgParameter><se:SvgParameter name="stroke-width">1.5</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>chemical, extreme</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>chemical</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>extreme</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#7b3294</se:SvgParameter><se:SvgParameter name="fill-opacity">0.65</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#7b3294</se:SvgParameter><se:SvgParameter name="stroke-width">2.5</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>earthquake, low</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>earthquake</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>low</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#a6611a</se:SvgParameter><se:SvgParameter name="fill-opacity">0.2</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#a6611a</se:SvgParameter><se:SvgParameter name="stroke-width">0.5</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>earthquake, moderate</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>earthquake</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>moderate</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#a6611a</se:SvgParameter><se:SvgParameter name="fill-opacity">0.35</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#a6611a</se:SvgParameter><se:SvgParameter name="stroke-width">1.0</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>earthquake, high</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>earthquake</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>high</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#a6611a</se:SvgParameter><se:SvgParameter name="fill-opacity">0.5</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#a6611a</se:SvgParameter><se:SvgParameter name="stroke-width">1.5</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>earthquake, extreme</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>earthquake</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>extreme</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#a6611a</se:SvgParameter><se:SvgParameter name="fill-opacity">0.65</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#a6611a</se:SvgParameter><se:SvgParameter name="stroke-width">2.5</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>tsunami, low</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>tsunami</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>low</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#0571b0</se:SvgParameter><se:SvgParameter name="fill-opacity">0.2</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#0571b0</se:SvgParameter><se:SvgParameter name="stroke-width">0.5</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>tsunami, moderate</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>tsunami</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>moderate</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#0571b0</se:SvgParameter><se:SvgParameter name="fill-opacity">0.35</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#0571b0</se:SvgParameter><se:SvgParameter name="stroke-width">1.0</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>tsunami, high</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>tsunami</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>high</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#0571b0</se:SvgParameter><se:SvgParameter name="fill-opacity">0.5</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#0571b0</se:SvgParameter><se:SvgParameter name="stroke-width">1.5</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>tsunami, extreme</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>tsunami</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>extreme</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#0571b0</se:SvgParameter><se:SvgParameter name="fill-opacity">0.65</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#0571b0</se:SvgParameter><se:SvgParameter name="stroke-width">2.5</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>heat, low</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>heat</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>low</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#fdae61</se:SvgParameter><se:SvgParameter name="fill-opacity">0.2</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#fdae61</se:SvgParameter><se:SvgParameter name="stroke-width">0.5</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>heat, moderate</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>heat</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>moderate</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#fdae61</se:SvgParameter><se:SvgParameter name="fill-opacity">0.35</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#fdae61</se:SvgParameter><se:SvgParameter name="stroke-width">1.0</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>heat, high</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>heat</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>high</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#fdae61</se:SvgParameter><se:SvgParameter name="fill-opacity">0.5</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#fdae61</se:SvgParameter><se:SvgParameter name="stroke-width">1.5</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>heat, extreme</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>heat</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>extreme</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#fdae61</se:SvgParameter><se:SvgParameter name="fill-opacity">0.65</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#fdae61</se:SvgParameter><se:SvgParameter name="stroke-width">2.5</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>wind, low</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>wind</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>low</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#80cdc1</se:SvgParameter><se:SvgParameter name="fill-opacity">0.2</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#80cdc1</se:SvgParameter><se:SvgParameter name="stroke-width">0.5</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>wind, moderate</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>wind</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>moderate</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#80cdc1</se:SvgParameter><se:SvgParameter name="fill-opacity">0.35</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#80cdc1</se:SvgParameter><se:SvgParameter name="stroke-width">1.0</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>wind, high</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>wind</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>high</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#80cdc1</se:SvgParameter><se:SvgParameter name="fill-opacity">0.5</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#80cdc1</se:SvgParameter><se:SvgParameter name="stroke-width">1.5</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>wind, extreme</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>wind</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>extreme</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#80cdc1</se:SvgParameter><se:SvgParameter name="fill-opacity">0.65</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#80cdc1</se:SvgParameter><se:SvgParameter name="stroke-width">2.5</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>other, low</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>other</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>low</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#999999</se:SvgParameter><se:SvgParameter name="fill-opacity">0.2</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#999999</se:SvgParameter><se:SvgParameter name="stroke-width">0.5</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>other, moderate</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>other</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>moderate</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#999999</se:SvgParameter><se:SvgParameter name="fill-opacity">0.35</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#999999</se:SvgParameter><se:SvgParameter name="stroke-width">1.0</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>other, high</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>other</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>high</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#999999</se:SvgParameter><se:SvgParameter name="fill-opacity">0.5</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#999999</se:SvgParameter><se:SvgParameter name="stroke-width">1.5</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
        <se:Rule>
          <se:Name>other, extreme</se:Name>
          <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>hazard_type</ogc:PropertyName><ogc:Literal>other</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsEqualTo><ogc:PropertyName>severity</ogc:PropertyName><ogc:Literal>extreme</ogc:Literal></ogc:PropertyIsEqualTo></ogc:And></ogc:Filter>
          <se:PolygonSymbolizer>
            <se:Fill><se:SvgParameter name="fill">#999999</se:SvgParameter><se:SvgParameter name="fill-opacity">0.65</se:SvgParameter></se:Fill>
            <se:Stroke><se:SvgParameter name="stroke">#999999</se:SvgParameter><se:SvgParameter name="stroke-width">2.5</se:SvgParameter></se:Stroke>
          </se:PolygonSymbolizer>
        </se:Rule>
      </se:FeatureTypeStyle>
    </UserStyle>
  </NamedLayer>
</StyledLayerDescriptor>
