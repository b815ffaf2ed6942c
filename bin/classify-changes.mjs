// Classifies every resource change between two syntheses with @aws-cdk/cloudformation-diff, the engine
// behind `cdk diff` (driven by the CloudFormation registry schemas), so the change gate and what a
// reviewer sees in `cdk diff` agree by construction. The gate's policy (what fails) is Java-side:
// io.dataplatform.delivery.DestructiveChangeGate.
//
// stdin:  {"<stack>": {"before": <template>, "after": <template> | null}, ...}   (after null: stack removed)
// stdout: [{"stack", "logicalId", "type", "impact", "properties": [{"name", "impact", "old", "new"}]}, ...]
//         impact: WILL_CREATE | WILL_UPDATE | WILL_REPLACE | MAY_REPLACE | WILL_DESTROY | WILL_ORPHAN | NO_CHANGE
import { fullDiff } from '@aws-cdk/cloudformation-diff';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const stacks = JSON.parse(Buffer.concat(chunks).toString('utf8'));

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
process.stdout.write(JSON.stringify(changes));
