#!/usr/bin/env python3
"""One-off backfill run from a laptop: recomputes per-tenant counters. Prints progress for the operator."""
import argparse
import sys

from shared.dynamo import bump_counter, tenant_items_since


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--table", required=True)
    parser.add_argument("--tenant", required=True)
    args = parser.parse_args(argv)
    items = tenant_items_since(args.table, args.tenant, since=0)
    print(f"{args.tenant}: {len(items)} items")
    bump_counter(args.table, args.tenant, "backfilled")
    print("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
