#!/usr/bin/env bash
# Cold starts of the worker jar in the local child-JVM runtime (the real runtime interface client), per variant:
#   local/runtime/bench/cold-start.sh RUNS VARIANT...      VARIANT = aot|noaot ':' init|full|off (PHOTOPIPE_PRIMING)
#   e.g.  ./photopipe local --no-worker &   then   local/runtime/bench/cold-start.sh 5 noaot:init aot:init aot:full
# Each run is a fresh environment (./photopipe local invoke worker) rendering a photo under a new key, so nothing is
# skipped as up to date; variants are interleaved so machine load drifts evenly over them. Prints every run, then the
# median Init, first-photo Duration and their sum per variant. Needs the stack's .photopipe/local.env (or
# LOCAL_ENV=FILE) and the AWS CLI; PHOTO=FILE picks the photo (default: the first of samples/photos).
set -euo pipefail
cd "$(dirname "$0")/../../.."
runs="${1:?usage: cold-start.sh RUNS VARIANT...}"; shift
local_env="${LOCAL_ENV:-.photopipe/local.env}"
photo="${PHOTO:-$(ls samples/photos/*.jpg | head -n1)}"
aws=/usr/bin/aws; [ -x "$aws" ] || aws=aws
# shellcheck disable=SC1090
source "$local_env"
bucket="${PHOTOPIPE_BUCKET:-photopipe-photos}"
out="$(mktemp)"; event="$(mktemp --suffix=.json)"; trap 'rm -f "$out" "$event"' EXIT
echo "$(date -u +%FT%TZ) $(uptime | sed 's/.*load/load/'); photo $photo" >&2
for i in $(seq 1 "$runs"); do
  for v in "$@"; do
    aot="${v%%:*}"; priming="${v##*:}"
    key="uploads/cold-start-$v-$i-$RANDOM.jpg"
    "$aws" --endpoint-url "$AWS_ENDPOINT_URL_S3" s3 cp "$photo" "s3://$bucket/$key" >/dev/null
    python3 - "$bucket" "$key" "$event" <<'PY'
import json, sys
bucket, key, path = sys.argv[1:]
body = {"Records": [{"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "us-east-1",
                     "eventTime": "2026-01-01T00:00:00.000Z", "eventName": "ObjectCreated:Put",
                     "s3": {"s3SchemaVersion": "1.0", "bucket": {"name": bucket, "arn": "arn:aws:s3:::" + bucket},
                            "object": {"key": key, "size": 1, "sequencer": "0A"}}}]}
event = {"Records": [{"messageId": "cold-start", "receiptHandle": "cold-start", "body": json.dumps(body),
                      "attributes": {"ApproximateReceiveCount": "1"}, "messageAttributes": {},
                      "eventSource": "aws:sqs", "awsRegion": "us-east-1",
                      "eventSourceARN": "arn:aws:sqs:us-east-1:000000000000:photopipe-uploads"}]}
open(path, "w").write(json.dumps(event))
PY
    aot_switch=on; [ "$aot" = noaot ] && aot_switch=off
    line="$(PHOTOPIPE_AOT_CACHE=$aot_switch ./photopipe local invoke worker --event "$event" --local-env "$local_env" \
      --env PHOTOPIPE_PRIMING="$priming" 2>&1 | grep -E '^REPORT worker' || true)"
    init="$(sed -nE 's/.*Init Duration: ([0-9.]+) ms.*/\1/p' <<<"$line")"
    dur="$(sed -nE 's/.* Duration: ([0-9.]+) ms Memory.*/\1/p' <<<"$line")"
    printf '%-12s run %d  init %8s ms  first photo %8s ms\n' "$v" "$i" "${init:--}" "${dur:--}" | tee -a "$out" >&2
  done
done
echo "$(date -u +%FT%TZ) $(uptime | sed 's/.*load/load/')" >&2
python3 - "$out" <<'PY'
import re, statistics, sys
rows = {}
for l in open(sys.argv[1]):
    m = re.match(r'(\S+)\s+run \d+\s+init\s+([\d.]+) ms\s+first photo\s+([\d.]+) ms', l)
    if m:
        rows.setdefault(m.group(1), []).append((float(m.group(2)), float(m.group(3))))
print(f"{'variant':12s} {'runs':>4s} {'init ms':>8s} {'first ms':>9s} {'sum ms':>8s}  (medians)")
for v, r in rows.items():
    print(f"{v:12s} {len(r):4d} {statistics.median(a for a, _ in r):8.0f} {statistics.median(b for _, b in r):9.0f} "
          f"{statistics.median(a + b for a, b in r):8.0f}")
PY
