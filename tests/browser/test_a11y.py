"""axe-core (through axe-selenium-python) on the home, an entity, an article and the explore page
with a query, in light and dark colours, at desktop and phone width. Fails on serious or critical
violations; prints every violation found."""
import pytest
from axe_selenium_python import Axe

from conftest import set_color_scheme, set_viewport, wait_search

BLOCKING = {"serious", "critical"}


def pages(site_data):
    counts = {}
    for e in site_data["events"]:
        for x in e["entities"]:
            counts[x] = counts.get(x, 0) + 1
    entity = "doubao" if "doubao" in counts else max(counts, key=lambda k: (counts[k], k))
    per_article = {}
    for e in site_data["events"]:
        for s in e["sources"]:
            per_article[s["article"]] = per_article.get(s["article"], 0) + 1
    article = max(site_data["articles"], key=lambda a: (per_article.get(a["slug"], 0), a["slug"]))
    return {"home": "/", "entity": f"/entities/{entity}/", "article": article["url"],
            "explore": "/explore/?q=%E8%B1%86%E5%8C%85", "event": site_data["events"][0]["permalink"]}


def describe(violations):
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} nodes)")
        for n in v["nodes"][:5]:
            lines.append(f"    {n['target']} {n.get('failureSummary', '').splitlines()[-1] if n.get('failureSummary') else ''}")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("name", ["home", "entity", "article", "explore", "event"])
def test_axe(driver, server, site_data, name, scheme, width):
    set_viewport(driver, width, 900, mobile=width < 600)
    set_color_scheme(driver, scheme)
    driver.get(server.url(pages(site_data)[name]))
    if name == "explore":
        total, _ = wait_search(driver)
        assert total > 0
    axe = Axe(driver)
    axe.inject()
    results = axe.run()
    violations = results["violations"]
    if violations:
        print(f"\naxe {name} {scheme} {width}px:\n" + describe(violations))
    else:
        print(f"\naxe {name} {scheme} {width}px: no violations ({len(results['passes'])} rules passed)")
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)
