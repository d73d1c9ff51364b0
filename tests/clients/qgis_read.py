"""Read an OGC API - Features collection with QGIS's own OAPIF provider (QGIS 3.22, Debian's
python3-qgis), run by the system Python as a separate process:

    /usr/bin/python3 tests/clients/qgis_read.py URL COLLECTION [USER PASSWORD]

With USER and PASSWORD the layer uses a QGIS "Basic" authentication configuration (what an
analyst sets up in QGIS's authentication manager), kept in a throwaway authentication database.
Prints one JSON line: whether the layer is valid, its feature count, its fields, the features'
names and the provider's errors.
"""

import json
import os
import sys
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["QGIS_AUTH_DB_DIR_PATH"] = tempfile.mkdtemp(prefix="qgis-auth-")

from qgis.core import QgsApplication, QgsAuthMethodConfig, QgsVectorLayer


def main() -> None:
    url, collection, *credentials = sys.argv[1:]
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    uri = f"url='{url}' typename='{collection}' pagingEnabled='true'"
    if credentials:
        manager = QgsApplication.authManager()
        manager.setMasterPassword("throwaway-master-password", True)
        config = QgsAuthMethodConfig("Basic")
        config.setName("gisserver")
        config.setConfig("username", credentials[0])
        config.setConfig("password", credentials[1])
        manager.storeAuthenticationConfig(config)
        uri += f" authcfg={config.id()}"
    layer = QgsVectorLayer(uri, collection, "OAPIF")
    features = list(layer.getFeatures()) if layer.isValid() else []
    fields = [field.name() for field in layer.fields()]
    errors = layer.dataProvider().errors() if layer.dataProvider() else []
    print(
        json.dumps(
            {
                "valid": layer.isValid(),
                "count": len(features),
                "fields": fields,
                "names": sorted(str(f.attribute("name")) for f in features if "name" in fields),
                "errors": list(errors),
            }
        ),
        flush=True,
    )
    # QGIS 3.22 may crash while it tears down a layer that used an authentication configuration
    # (a segmentation fault after the answer above): leave without tearing anything down.
    os._exit(0)


if __name__ == "__main__":
    main()
