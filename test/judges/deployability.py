"""The deployability judges over synthesized templates: cfn-lint per region, and botocore's service models.

    python3 test/judges/deployability.py --manifest target/judges/manifest.json --results target/judges/results.json
    python3 test/judges/deployability.py cdk.out/*.template.json            (after `npx cdk synth`; all supported regions)
    python3 test/judges/deployability.py --regions eu-west-1 cdk.out/*.template.json

The manifest (written by DeployabilityTest) lists each template with its name, stack and regions. The results
file holds every finding; the output ends with one summary line per judge. Exit status 1 when either judge
found a problem, 3 when a pinned judge is not installed (python_env.py).
"""
import argparse
import concurrent.futures
import json
import os
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import python_env  # noqa: E402

python_env.require("cfn-lint", "botocore")

import cfn_lint_judge  # noqa: E402
import service_models  # noqa: E402

# The regions the platform is judged for (io.dataplatform.config.SupportedRegions; the manifest passes them).
DEFAULT_REGIONS = ("us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2", "sa-east-1")


def _lint(entry):
    text = pathlib.Path(entry["path"]).read_text()
    findings = cfn_lint_judge.judge(entry["name"], text, entry["regions"])
    problems = cfn_lint_judge.unaccepted(findings)
    return {"name": entry["name"], "regions": entry["regions"], "problems": [str(f) for f in problems],
            "accepted": sorted({f"{f.rule} {f.logical_id}" for f in findings if f not in problems})}


def _models(entry):
    template = json.loads(pathlib.Path(entry["path"]).read_text())
    judgement = service_models.judge(entry["name"], template, entry["stack"], entry["regions"][0])
    problems = list(judgement.problems)
    problems.extend(f"{entry['name']}: resource type {kind} has no row in service_models.TABLE (add the calls "
                    "CloudFormation makes for it, or a row saying why there is nothing to judge)"
                    for kind in sorted(judgement.unjudged_types))
    return {"name": entry["name"], "resources": judgement.resources, "calls": judgement.calls,
            "judged": judgement.tally.judged, "skipped": judgement.tally.skipped, "problems": problems}


def run(entries, workers=None):
    workers = workers or max(1, min(len(entries), os.cpu_count() or 1))
    with concurrent.futures.ProcessPoolExecutor(workers) as pool:
        lint_results = list(pool.map(_lint, entries))
    model_results = [_models(e) for e in entries]
    pairs = sum(len(e["regions"]) for e in entries)
    regions = sorted({r for e in entries for r in e["regions"]})
    lint_problems = sum(len(r["problems"]) for r in lint_results)
    model_problems = sum(len(r["problems"]) for r in model_results)
    summary = [
        f"cfn-lint {python_env.pins()['cfn-lint']}: judged {len(entries)} templates x their regions = {pairs} "
        f"template-regions ({', '.join(regions)}): {lint_problems} problems",
        f"botocore {python_env.pins()['botocore']} service models: judged {sum(r['resources'] for r in model_results)} "
        f"resources in {sum(r['calls'] for r in model_results)} API requests, "
        f"{sum(r['judged'] for r in model_results)} literal values ({sum(r['skipped'] for r in model_results)} "
        f"computed by CloudFormation, skipped): {model_problems} problems",
    ]
    return {"cfnLint": lint_results, "serviceModels": model_results, "summary": summary}


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--manifest")
    parser.add_argument("--results")
    parser.add_argument("--regions", nargs="+", default=list(DEFAULT_REGIONS))
    parser.add_argument("templates", nargs="*")
    args = parser.parse_args(argv)
    if args.manifest:
        entries = json.loads(pathlib.Path(args.manifest).read_text())["templates"]
    else:
        entries = [{"name": pathlib.Path(t).name.removesuffix(".template.json"), "path": t,
                    "stack": pathlib.Path(t).name.removesuffix(".template.json"), "regions": args.regions}
                   for t in args.templates]
    if not entries:
        parser.error("no templates: give --manifest or template files")
    results = run(entries)
    if args.results:
        pathlib.Path(args.results).write_text(json.dumps(results, indent=1))
    for judge in ("cfnLint", "serviceModels"):
        for result in results[judge]:
            for problem in result["problems"]:
                print(f"FAIL {problem}")
    for line in results["summary"]:
        print(line)
    failed = any(r["problems"] for judge in ("cfnLint", "serviceModels") for r in results[judge])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
