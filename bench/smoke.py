"""Smoke benchmark of the foundation: /health/, /api/v1/me/ and a worker's case list against the bare view."""

from __future__ import annotations

from bench import common


def main() -> None:
    env = common.bench_env()
    common.setup_django(env)
    from backend.demo import build_cast

    cast = build_cast()
    headers = {"X-Session-Token": common.session_token(cast.sam)}
    with common.server(env) as base:
        figures = {
            "bare": common.latency(base + "/bench/bare/", 300),
            "me": common.latency(base + "/api/v1/me/", 300, headers=headers),
            "own_case": common.latency(base + f"/api/v1/young-carers/{cast.sam_case.pk}/", 300, headers=headers),
        }
    common.emit("foundation_smoke", figures)


if __name__ == "__main__":
    main()
