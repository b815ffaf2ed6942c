// Classifies every resource change between two syntheses with @aws-cdk/cloudformation-diff, the engine
// behind `cdk diff` (driven by the CloudFormation registry schemas), so the change gate and what a
// reviewer sees in `cdk diff` agree by construction. The gate's policy (what fails) is Java-side:
// io.dataplatform.delivery.DestructiveChangeGate.
//
// Input:  {"<stack>": {"before": <template> | null, "after": <template> | null}, ...}   (null: no such stack)
// Output: [{"stack", "logicalId", "type", "oldType", "impact", "properties": [{"name", "impact", "old", "new"}]}, ...]
//         impact: WILL_CREATE | WILL_UPDATE | WILL_REPLACE | MAY_REPLACE | WILL_DESTROY | WILL_ORPHAN | NO_CHANGE
// One request on stdin, one answer on stdout; with --lines, one request per line and one answer
// line each, so a caller that asks many questions loads the engine once.
import { fullDiff } from '@aws-cdk/cloudformation-diff';
import readline from 'node:readline';

function classify(stacks) {
  const changes = [];
  for (const [stack, { before, after }] of Object.entries(stacks)) {
    const diff = fullDiff(before ?? {}, after ?? {});
    diff.resources.forEachDifference((logicalId, change) => {
      const properties = Object.entries(change.propertyUpdates ?? {}).map(([name, update]) => ({
        name,
        impact: update.changeImpact ?? null,
        old: update.oldValue ?? null,
        new: update.newValue ?? null,
      }));
      changes.push({
        stack,
        logicalId,
        type: change.newResourceType ?? change.oldResourceType ?? change.resourceType,
        oldType: change.oldResourceType ?? null,
        impact: change.changeImpact,
        properties,
      });
    });
  }
  return changes;
}

if (process.argv.includes('--lines')) {
  for await (const line of readline.createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (line.trim()) process.stdout.write(JSON.stringify(classify(JSON.parse(line))) + '\n');
  }
} else {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  process.stdout.write(JSON.stringify(classify(JSON.parse(Buffer.concat(chunks).toString('utf8')))));
}
