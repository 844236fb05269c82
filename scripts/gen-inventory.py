#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write a synthetic `aws ecr describe-images` export of a busy CI repository.

The output is deterministic: the same options always give the same bytes. Nothing reads the
clock; "now" is an option. Standard library only.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import hashlib
import json
import math
import os
import random
import sys
from typing import Callable, TextIO

REGISTRY_ID = "123456789012"
REPOSITORY_NAME = "payments-api"
DEFAULT_NOW = "2026-11-28T00:00:00Z"
DEFAULT_IMAGES = 2200
DEFAULT_YEARS = 5.0
DEFAULT_SEED = 12

MS_PER_MINUTE = 60_000
MS_PER_HOUR = 3_600_000
MS_PER_DAY = 86_400_000

# --- the content model ------------------------------------------------------------------------
# Push volume grows linearly from GROWTH_START to 1.0 (relative) over the history; weekends and
# the end-of-year holidays are quiet; sprints vary by +-25 %.
GROWTH_START = 0.45
WEEKEND_FACTOR = 0.12
HOLIDAY_FACTOR = 0.25
WORKDAY_START_MS = 7 * MS_PER_HOUR  # pushes happen 07:00..22:00 (relative to the day grid)
WORKDAY_LENGTH_MS = 15 * MS_PER_HOUR

P_REPUSH = 0.11  # the build re-ran and re-pushed its tags: the first image is left untagged
P_DEV = 0.93  # the build was deployed to dev (every main-branch build; branch builds are not)
P_STAGING = 0.60  # a dev build was promoted to staging
P_PROD = 0.27  # a staging build was promoted to production
P_RELEASE = 0.20  # a production build also got a "release-x.y.z" tag
P_CI_PULL = 0.50  # CI pulled the image for its integration tests
P_LATE_PULL = 0.02  # somebody pulled the image later (debugging, a rollback drill)
P_ARCHIVE = 0.10  # a retired release image was archived by hand
P_RESTORE = 0.30  # an archived image was restored again
OCI_SWITCH = 0.55  # from this point of the history on, builds push OCI manifests (buildx)

MIN_SIZE = 50 * 1024 * 1024
MAX_SIZE = 900 * 1024 * 1024

# Open findings per image grow with the age of the image: an old image sits on an old base
# image whose packages have collected CVEs since. Expected count = FINDINGS_BASE +
# FINDINGS_SQUARE * years^2 + FINDINGS_CUBE * years^3 (about 12 for a new image, 16 at three
# years, 26 at five), times a log-normal spread.
FINDINGS_BASE = 12.3
FINDINGS_SQUARE = 0.15
FINDINGS_CUBE = 0.078
FINDINGS_SIGMA = 0.35
SEVERITIES = ("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL")
SEVERITY_SHARE = (0.03, 0.15, 0.44, 0.27, 0.11)

# AWS CLI v2 prints timestamps in the local zone of the machine that ran it. Each image below
# uses one of these zones, as if exports from several machines had been merged.
OFFSETS = (("+00:00", 0, 50), ("-06:00", -360, 18), ("+08:00", 480, 14), ("-05:00", -300, 8),
           ("+01:00", 60, 6), ("+05:30", 330, 4))

DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
ENVS = ("Dev", "Staging", "Prod")


def parse_instant(text: str) -> int:
    """ISO-8601 instant with a zone ('Z' or an offset) -> milliseconds since the epoch."""
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(f"--now needs a zone ('Z' or '+hh:mm'): {text!r}")
    delta = value - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def positive_years(text: str) -> float:
    value = float(text)
    if not (value > 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"--years must be positive: {text!r}")
    return value


def non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {text!r}")
    return value


class Record:
    """One image while it is being built; `open_envs` counts environments it still runs in."""

    __slots__ = ("ordinal", "build", "tags", "pushed", "size", "oci", "pull", "open_envs",
                 "deployed", "release")

    def __init__(self, ordinal: int, build: int, tags: list[str], pushed: int, size: int,
                 oci: bool) -> None:
        self.ordinal = ordinal
        self.build = build
        self.tags = tags
        self.pushed = pushed
        self.size = size
        self.oci = oci
        self.pull: int | None = None
        self.open_envs = 0
        self.deployed: dict[str, int] = {}
        self.release = False

    def pulled_at(self, when: int) -> None:
        if self.pull is None or when > self.pull:
            self.pull = when


class Generator:
    def __init__(self, images: int, years: float, seed: int, now_ms: int, fmt: str,
                 mixed: bool, indent: bool) -> None:
        self.count = images
        self.now = now_ms
        self.seed = seed
        self.fmt = fmt
        self.mixed = mixed
        self.indent = indent
        # Three independent streams: what the repository contains, how it is printed, and the
        # order it is printed in. The content is therefore identical for every --format.
        self.rng = random.Random(seed)
        self.print_rng = random.Random(seed * 1_000_003 + 1)
        self.order_rng = random.Random(seed * 1_000_003 + 2)
        self.days = max(1, round(years * 365.25))
        self.start = now_ms - self.days * MS_PER_DAY
        self._build_day_table()
        self.zones = [(name, dt.timezone(dt.timedelta(minutes=minutes)))
                      for name, minutes, _ in OFFSETS]
        self.zone_weights = [weight for _, _, weight in OFFSETS]
        self.current: dict[str, Record | None] = {env: None for env in ENVS}
        self.last_deploy: dict[str, int] = {env: self.start for env in ENVS}
        self.version = [1, 0, 0]
        self.first_release = True
        self.pending: list[str] = []
        self.window = 64
        self.out: TextIO | None = None
        self.written = 0
        self.stats = {"images": 0, "untagged": 0, "findings": 0, "archived": 0, "restored": 0}

    # --- time axis ------------------------------------------------------------------------
    def _build_day_table(self) -> None:
        """Cumulative push weight per day of the history (growth, weekends, holidays, sprints)."""
        self.day_weight: list[float] = []
        self.cumulative: list[float] = [0.0]
        sprint = 1.0
        for day in range(self.days):
            if day % 14 == 0:
                sprint = self.rng.uniform(0.75, 1.25)
            when = EPOCH + dt.timedelta(milliseconds=self.start + day * MS_PER_DAY)
            weight = (GROWTH_START + (1.0 - GROWTH_START) * (day + 0.5) / self.days) * sprint
            if when.weekday() >= 5:
                weight *= WEEKEND_FACTOR
            if (when.month == 12 and when.day >= 23) or (when.month == 1 and when.day <= 2):
                weight *= HOLIDAY_FACTOR
            self.day_weight.append(weight)
            self.cumulative.append(self.cumulative[-1] + weight)

    def _slot(self, index: int) -> int:
        """Push time of image slot `index`: quantile (index + jitter) / count of the push volume."""
        total = self.cumulative[-1]
        target = (index + self.rng.random()) / self.count * total
        day = min(bisect.bisect_right(self.cumulative, target) - 1, self.days - 1)
        within = (target - self.cumulative[day]) / self.day_weight[day]
        within = min(max(within, 0.0), 1.0)
        return (self.start + day * MS_PER_DAY + WORKDAY_START_MS
                + int(within * WORKDAY_LENGTH_MS))

    def _millis(self, when: int, whole_second_share: float) -> int:
        """Give a time a random millisecond part, or none (AWS prints the fraction only if set)."""
        base = when - when % 1000
        if self.rng.random() < whole_second_share:
            return base
        return base + self.rng.randrange(1, 1000)

    # --- the CI history ---------------------------------------------------------------------
    def run(self, out: TextIO) -> None:
        self.out = out
        out.write('{\n    "imageDetails": [' if self.indent else '{"imageDetails":[')
        build = 1000
        index = 0
        next_time = self._slot(0) if self.count else 0
        while index < self.count:
            push = next_time
            repush = index + 1 < self.count and self.rng.random() < P_REPUSH
            used = 2 if repush else 1
            next_time = self._slot(index + used) if index + used < self.count else self.now
            build += 1 + (self.rng.random() < 0.25) + (self.rng.random() < 0.08)
            progress = (push - self.start) / (self.now - self.start)
            oci = progress >= OCI_SWITCH
            size = self._size(progress)
            sha = "sha-" + _short_sha(build)
            if repush:
                dangling = Record(index, build, [], self._millis(push, 0.3), size, oci)
                if self.rng.random() < 0.15:
                    dangling.pulled_at(self._millis(dangling.pushed + self.rng.randint(
                        MS_PER_MINUTE, 10 * MS_PER_MINUTE), 0.0))
                self._finish(dangling)
                gap = max(2000, (next_time - push) // 2)  # stay before the next build
                push = push + min(self.rng.randint(3 * MS_PER_MINUTE, 40 * MS_PER_MINUTE), gap)
                size = min(max(size + self.rng.randint(-4096, 4096), MIN_SIZE), MAX_SIZE)
            record = Record(index + used - 1, build, [f"build-{build}", sha],
                            self._millis(push, 0.3), size, oci)
            if self.rng.random() < P_CI_PULL:
                record.pulled_at(self._millis(record.pushed + self.rng.randint(
                    2 * MS_PER_MINUTE, 25 * MS_PER_MINUTE), 0.0))
            self._promote(record)
            if record.open_envs == 0:
                self._finish(record)
            index += used
        self._flush()
        out.write(("\n    ]\n}\n" if self.written else "]\n}\n") if self.indent else "]}\n")

    def _size(self, progress: float) -> int:
        mean = (170 + 330 * progress) * 1024 * 1024
        size = int(mean * math.exp(self.rng.gauss(0.0, 0.22)))
        return min(max(size, MIN_SIZE), MAX_SIZE)

    def _promote(self, record: Record) -> None:
        """Dev on most builds, then Staging, then Prod; each env deploys in build order."""
        rng = self.rng
        wants = [rng.random() < P_DEV]
        wants.append(wants[0] and rng.random() < P_STAGING)
        wants.append(wants[1] and rng.random() < P_PROD)
        delays = ((4 * MS_PER_MINUTE, 30 * MS_PER_MINUTE), (30 * MS_PER_MINUTE, 72 * MS_PER_HOUR),
                  (2 * MS_PER_HOUR, 8 * MS_PER_DAY))
        when = record.pushed
        for env, want, (low, high) in zip(ENVS, wants, delays):
            if not want:
                break
            when = max(when + rng.randint(low, high), self.last_deploy[env] + 1000)
            if when >= self.now:
                break
            self.last_deploy[env] = when
            self._retire(env, when)
            self.current[env] = record
            record.open_envs += 1
            record.deployed[env] = when
            record.tags.append(f"{env}-{record.build}")
            record.pulled_at(self._millis(when + rng.randint(20_000, 3 * MS_PER_MINUTE), 0.0))
            if env == "Prod" and rng.random() < P_RELEASE:
                record.tags.append("release-" + self._next_version())
                record.release = True

    def _next_version(self) -> str:
        if self.first_release:
            self.first_release = False
        else:
            roll = self.rng.random()
            if roll < 0.04:
                self.version = [self.version[0] + 1, 0, 0]
            elif roll < 0.40:
                self.version = [self.version[0], self.version[1] + 1, 0]
            else:
                self.version[2] += 1
        return ".".join(str(part) for part in self.version)

    def _retire(self, env: str, replaced_at: int) -> None:
        """A new deployment replaced the running one: its last pull happened shortly before."""
        old = self.current[env]
        if old is None:
            return
        last = max(old.deployed[env], replaced_at - self.rng.randint(0, 8 * MS_PER_HOUR))
        old.pulled_at(self._millis(last, 0.0))
        old.open_envs -= 1
        if old.open_envs == 0:
            self._finish(old)

    def _flush(self) -> None:
        """Images still deployed at `now` are pulled every day; the production one is "latest"."""
        done: list[Record] = []
        for env in ENVS:
            record = self.current[env]
            if record is None:
                continue
            recent = self.now - self.rng.randint(10 * MS_PER_MINUTE, 20 * MS_PER_HOUR)
            record.pulled_at(self._millis(max(record.deployed[env], recent), 0.0))
            if env == "Prod":
                record.tags.append("latest")
            if record not in done:
                done.append(record)
        for record in sorted(done, key=lambda r: r.ordinal):
            self._finish(record)
        while self.pending:
            self._emit_one()

    # --- one finished image -----------------------------------------------------------------
    def _finish(self, record: Record) -> None:
        rng = self.rng
        now = self.now
        if rng.random() < P_LATE_PULL:
            record.pulled_at(self._millis(rng.randint(record.pushed, now - 1), 0.0))
        status = "ACTIVE"
        archived_at = activated_at = None
        if record.release and rng.random() < P_ARCHIVE:
            since = (record.pull or record.pushed) + rng.randint(30 * MS_PER_DAY, 500 * MS_PER_DAY)
            if since < now - MS_PER_DAY:
                archived_at = self._millis(since, 0.0)
                status = "ARCHIVED"
                if rng.random() < P_RESTORE:
                    restore = rng.randint(archived_at + MS_PER_DAY, now - MS_PER_HOUR)
                    activated_at = self._millis(restore, 0.0)
                    status = "ACTIVE"
                    if rng.random() < 0.5:
                        record.pulled_at(self._millis(
                            rng.randint(activated_at + 30 * MS_PER_MINUTE,
                                        max(now - MS_PER_MINUTE,
                                            activated_at + 30 * MS_PER_MINUTE)), 0.0))
        if record.pull is not None and record.pull >= now:
            record.pull = now - 1000

        counts: list[tuple[str, int]] | None = None
        scanned = None
        if status == "ACTIVE":
            age_years = (now - record.pushed) / (365.25 * MS_PER_DAY)
            mean = (FINDINGS_BASE + FINDINGS_SQUARE * age_years ** 2
                    + FINDINGS_CUBE * age_years ** 3)
            total = max(0, int(round(mean * math.exp(rng.gauss(-FINDINGS_SIGMA ** 2 / 2,
                                                                 FINDINGS_SIGMA)))))
            counts = _split(total, rng)
            lower = (activated_at or record.pushed) + 90_000
            scanned = self._millis(max(lower, now - rng.randint(MS_PER_HOUR, 72 * MS_PER_HOUR)),
                                   0.0)
            scanned = min(scanned, now - 1000)
            self.stats["findings"] += total

        digest = "sha256:" + hashlib.sha256(
            f"{REPOSITORY_NAME}/{self.seed}/{record.ordinal}".encode()).hexdigest()
        zone = self.print_rng.choices(self.zones, self.zone_weights)[0][1]

        def stamp(ms: int) -> str | float:
            numeric = self.fmt == "v1"
            if self.mixed:
                numeric = self.print_rng.random() < 0.5
            if numeric:
                return ms / 1000
            return (EPOCH + dt.timedelta(milliseconds=ms)).astimezone(zone).isoformat()

        item: dict[str, object] = {
            "registryId": REGISTRY_ID,
            "repositoryName": REPOSITORY_NAME,
            "imageDigest": digest,
        }
        if record.tags:
            item["imageTags"] = list(record.tags)
        item["imageSizeInBytes"] = record.size
        item["imagePushedAt"] = stamp(record.pushed)
        if status == "ACTIVE":
            item["imageScanStatus"] = {"status": "ACTIVE",
                                       "description": "Continuous scan is selected for image."}
            when = stamp(scanned)
            item["imageScanFindingsSummary"] = {
                "imageScanCompletedAt": when,
                "vulnerabilitySourceUpdatedAt": when,
                "findingSeverityCounts": dict(counts),
            }
        else:
            item["imageScanStatus"] = {"status": "IMAGE_ARCHIVED"}
        item["imageManifestMediaType"] = OCI_MANIFEST if record.oci else DOCKER_MANIFEST
        item["artifactMediaType"] = OCI_CONFIG if record.oci else DOCKER_CONFIG
        if record.pull is not None:
            item["lastRecordedPullTime"] = stamp(record.pull)
        item["imageStatus"] = status
        if archived_at is not None:
            item["lastArchivedAt"] = stamp(archived_at)
        if activated_at is not None:
            item["lastActivatedAt"] = stamp(activated_at)

        self.stats["images"] += 1
        self.stats["untagged"] += not record.tags
        self.stats["archived"] += status == "ARCHIVED"
        self.stats["restored"] += activated_at is not None
        self.pending.append(_render(item, self.indent))
        if len(self.pending) > self.window:
            self._emit_one()

    def _emit_one(self) -> None:
        """Write one buffered image, picked at random: real exports are not sorted by time."""
        pick = self.order_rng.randrange(len(self.pending))
        self.pending[pick], self.pending[-1] = self.pending[-1], self.pending[pick]
        text = self.pending.pop()
        assert self.out is not None
        if self.indent:
            self.out.write(("," if self.written else "") + "\n        " + text)
        else:
            self.out.write(("," if self.written else "") + text)
        self.written += 1


def _short_sha(build: int) -> str:
    """A git-like 7-hex-digit sha, unique per build number (a bijection on 28 bits)."""
    x = build & 0xFFFFFFF
    for multiplier in (0x9E3779B, 0x85EBCA7):
        x ^= x >> 13
        x = (x * multiplier) & 0xFFFFFFF
    x ^= x >> 11
    return f"{x:07x}"


def _split(total: int, rng: random.Random) -> list[tuple[str, int]]:
    """Split `total` findings over the severities (largest remainder); zero counts are omitted."""
    weights = [share * rng.uniform(0.6, 1.4) for share in SEVERITY_SHARE]
    scale = total / sum(weights)
    exact = [w * scale for w in weights]
    counts = [int(value) for value in exact]
    order = sorted(range(len(exact)), key=lambda i: (counts[i] - exact[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return [(name, n) for name, n in zip(SEVERITIES, counts) if n > 0]


def _render(item: dict[str, object], indent: bool) -> str:
    if not indent:
        return json.dumps(item, ensure_ascii=False, separators=(",", ":"))
    parts: list[str] = []
    _pretty(item, 2, parts)
    return "".join(parts)


_dumps_str: Callable[[str], str] = json.encoder.encode_basestring  # type: ignore[attr-defined]


def _pretty(value: object, level: int, out: list[str]) -> None:
    """json.dumps(value, indent=4, ensure_ascii=False), starting `level` levels deep."""
    if isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = "\n" + "    " * (level + 1)
        out.append("{")
        first = True
        for key, member in value.items():
            out.append(inner if first else "," + inner)
            first = False
            out.append(_dumps_str(key))
            out.append(": ")
            _pretty(member, level + 1, out)
        out.append("\n" + "    " * level + "}")
    elif isinstance(value, list):
        if not value:
            out.append("[]")
            return
        inner = "\n" + "    " * (level + 1)
        out.append("[")
        first = True
        for member in value:
            out.append(inner if first else "," + inner)
            first = False
            _pretty(member, level + 1, out)
        out.append("\n" + "    " * level + "]")
    elif isinstance(value, str):
        out.append(_dumps_str(value))
    elif isinstance(value, bool) or value is None:
        out.append(json.dumps(value))
    elif isinstance(value, float):
        out.append(float.__repr__(value))
    else:
        out.append(int.__repr__(value))  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="gen-inventory.py",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="""\
Write a synthetic `aws ecr describe-images --filter imageStatus=ANY` export of one busy CI
repository (registry 123456789012, repository payments-api), for ecrlp examples, tests and
benchmarks. The output is fully deterministic: no clock is read, and the same options always
produce the same bytes. --format, --mixed-timestamps and --indent change only how the same
repository is printed. Images are written in a locally shuffled order, as real exports are not
sorted by time. The output is streamed: 1,000,000 images (1.3 GB) take about a minute and
20 MB of memory.

What the repository holds:
  * every CI build pushes one image tagged "build-<n>" and "sha-<7 hex>";
  * ~10% of images are untagged: a re-run build re-pushed its tags to a new digest;
  * builds are promoted by adding "Dev-<n>", then "Staging-<n>", then "Prod-<n>" (tags
    accumulate); some production builds also get "release-x.y.z"; the production build
    running at --now carries "latest";
  * pushes spread over --years with growing volume (quiet weekends and holidays);
  * lastRecordedPullTime from CI test pulls and from deployments (absent if never pulled);
  * open findings (enhanced scanning) grow with image age; sizes 50..900 MB;
  * a few release images were archived by hand (ARCHIVED, lastArchivedAt), and some of those
    were restored again (ACTIVE, lastActivatedAt).""",
        epilog="""\
examples:
  scripts/gen-inventory.py --output examples/story/images.json
  scripts/gen-inventory.py --images 100000 --no-indent --output /tmp/inventory-100k.json
  scripts/gen-inventory.py --images 50 --format v1 | less""",
    )
    parser.add_argument("--images", type=non_negative_int, default=DEFAULT_IMAGES, metavar="N",
                        help=f"number of images to write (default: {DEFAULT_IMAGES})")
    parser.add_argument("--years", type=positive_years, default=DEFAULT_YEARS, metavar="Y",
                        help=f"length of the push history before --now (default: {DEFAULT_YEARS:g})")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"seed of the random generator (default: {DEFAULT_SEED})")
    parser.add_argument("--now", type=parse_instant, default=parse_instant(DEFAULT_NOW),
                        metavar="INSTANT",
                        help="the instant the export was taken, ISO-8601 with a zone; every "
                             f"timestamp lies before it (default: {DEFAULT_NOW})")
    parser.add_argument("--output", metavar="FILE", default="-",
                        help="where to write the JSON (default: standard output)")
    parser.add_argument("--format", choices=("v2", "v1"), default="v2",
                        help="timestamp rendering: v2 = AWS CLI v2, ISO-8601 strings in local "
                             "time with an offset ('2023-09-27T00:06:14.575000+08:00'; the "
                             "fraction only when non-zero; offsets vary per image); v1 = AWS CLI "
                             "v1 / wire, epoch seconds as numbers (1565128275.0) (default: v2)")
    parser.add_argument("--mixed-timestamps", action="store_true",
                        help="render each timestamp at random as a v1 number or a v2 string")
    parser.add_argument("--indent", action=argparse.BooleanOptionalAction, default=True,
                        help="pretty-print with 4 spaces like the AWS CLI (default); "
                             "--no-indent writes compact JSON")
    parser.add_argument("--stats", action="store_true",
                        help="print image, untagged, archived, restored and finding totals to "
                             "standard error")
    args = parser.parse_args(argv)

    generator = Generator(args.images, args.years, args.seed, args.now, args.format,
                          args.mixed_timestamps, args.indent)
    if args.output == "-":
        try:
            generator.run(sys.stdout)
            sys.stdout.flush()
        except BrokenPipeError:  # e.g. `| head`: stop quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 1
    else:
        with open(args.output, "w", encoding="utf-8", newline="\n") as out:
            generator.run(out)
    if args.stats:
        print(" ".join(f"{key}={value}" for key, value in generator.stats.items()),
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
