#!/usr/bin/env bash
# The release build, checked the way Maven Central checks a deployment (signatures aside), without
# publishing anything: `-Prelease deploy` into target/staging-deploy (a local directory), then
#   - every deployed POM (with what it inherits from keyward-parent) has name, description, url,
#     licenses, developers and scm;
#   - every deployed jar comes with its -sources.jar and -javadoc.jar;
#   - exactly the published artifacts are there (examples, benchmarks are not);
# then scripts/consumer-check.sh against the artifacts this build installed. Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
staging="$PWD/target/staging-deploy"
rm -rf "$staging"
./mvnw -B -Prelease -DskipTests deploy -DaltDeploymentRepository="staging::file://$staging" "$@"

python3 - "$staging" <<'PY'
import pathlib, sys, xml.etree.ElementTree as ET
ns = {"m": "http://maven.apache.org/POM/4.0.0"}
root = pathlib.Path(sys.argv[1]) / "dev" / "keyward"
expected = {"keyward-parent", "keyward-bom", "acme-core", "acme-testkit", "acme-pkcs11", "acme-kms-aws",
            "acme-manager", "acme-jdbc"}
found = {p.name for p in root.iterdir() if p.is_dir()} if root.is_dir() else set()
errors = []
if found != expected:
    errors.append(f"deployed {sorted(found)}, expected {sorted(expected)}")

def pom_of(artifact):
    poms = sorted((root / artifact).glob("*/*.pom"))
    return ET.parse(poms[-1]).getroot() if poms else None

def field(pom, name):
    while pom is not None:
        if pom.find(f"m:{name}", ns) is not None:
            return pom.find(f"m:{name}", ns)
        parent = pom.find("m:parent/m:artifactId", ns)
        pom = pom_of(parent.text) if parent is not None else None
    return None

for artifact in sorted(found):
    pom = pom_of(artifact)
    if pom is None:
        errors.append(f"{artifact}: no POM")
        continue
    for name in ("name", "description", "url", "licenses", "developers", "scm"):
        if field(pom, name) is None:
            errors.append(f"{artifact}: no <{name}>")
    for element in ("licenses/m:license/m:name", "developers/m:developer/m:name", "scm/m:url",
                    "scm/m:connection"):
        head, _, rest = element.partition("/")
        node = field(pom, head)
        if node is None or node.find(rest, ns) is None:
            errors.append(f"{artifact}: no <{element.replace('m:', '')}>")
    packaging = pom.find("m:packaging", ns)
    if packaging is None or packaging.text == "jar":
        version_dir = sorted(p for p in (root / artifact).iterdir() if p.is_dir())[-1]
        jars = {p.name for p in version_dir.glob("*.jar")}
        for suffix in ("", "-sources", "-javadoc"):
            if not any(j.endswith(f"{suffix}.jar") and (suffix or not j.endswith(("-sources.jar", "-javadoc.jar")))
                       for j in jars):
                errors.append(f"{artifact}: no {suffix or 'main'} jar")
if errors:
    print("release check FAILED:\n  " + "\n  ".join(errors))
    sys.exit(1)
print(f"release check: {len(found)} artifacts, metadata, sources and javadoc jars as Central requires")
PY

KEYWARD_INSTALLED=1 bash scripts/consumer-check.sh "$@"
