"""axe-core (through axe-selenium-python) on the home, an entity, an article and the explore page
with a query, in light and dark colours, at desktop and phone width. Fails on serious or critical
violations; prints every violation found."""
import urllib.parse

import pytest
from axe_selenium_python import Axe

from conftest import set_color_scheme, set_viewport, wait_search

BLOCKING = {"serious", "critical"}


def pages(site):
    site_data = site.data
    counts = {}
    for e in site_data["events"]:
        for x in e["entities"]:
            counts[x] = counts.get(x, 0) + 1
    entity = site.search_entity
    per_article = {}
    for e in site_data["events"]:
        for s in e["sources"]:
            per_article[s["article"]] = per_article.get(s["article"], 0) + 1
    article = max(site_data["articles"], key=lambda a: (per_article.get(a["slug"], 0), a["slug"]))
    months = sorted({e["date"][:7] for e in site_data["events"] if e["precision"] in ("day", "month") and not e["end"]})
    month = max(months, key=lambda m: sum(1 for e in site_data["events"] if e["date"].startswith(m)))
    return {"home": "/", "entity": f"/entities/{entity}/", "article": article["url"],
            "month": "/years/%s/%s/" % (month[:4], month[5:7]), "entities": "/entities/",
            "explore": "/explore/?q=" + urllib.parse.quote(site.search_term),
            "event": site_data["events"][0]["permalink"]}


def describe(violations):
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} nodes)")
        for n in v["nodes"][:5]:
            lines.append(f"    {n['target']} {n.get('failureSummary', '').splitlines()[-1] if n.get('failureSummary') else ''}")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("name", ["home", "entity", "article", "explore", "event", "month", "entities"])
def test_axe(driver, site, name, scheme, width):
    set_viewport(driver, width, 900, mobile=width < 600)
    set_color_scheme(driver, scheme)
    driver.get(site.url(pages(site)[name]))
    if name == "explore":
        total, _ = wait_search(driver)
        assert total > 0
    axe = Axe(driver)
    axe.inject()
    results = axe.run()
    violations = results["violations"]
    if violations:
        print(f"\naxe [{site.name}] {name} {scheme} {width}px:\n" + describe(violations))
    else:
        print(f"\naxe [{site.name}] {name} {scheme} {width}px: no violations ({len(results['passes'])} rules passed)")
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)
