import {
  parseJsonWithPositions,
  positionAt,
  type JsonMember,
  type JsonNode,
  type TextPosition,
} from './json-positions';
import { actionKindWords, actionsMatching, iamPattern, s3Actions, type ActionKind } from './s3-actions';

/**
 * A bucket policy checked before it is saved, in the renderer as it is typed and again in main
 * before PutBucketPolicy: JSON syntax and the policy grammar (Version, Statement, Effect,
 * Principal, Action/NotAction, Resource/NotResource, Condition), each problem with its line and
 * column; and what the policy allows, in words (who, what, where), with the statements that
 * open the bucket to anyone. Pure: no I/O, so both processes run the same rules.
 */

/** One problem found in a policy, where it is. */
export interface PolicyProblem {
  message: string;
  position: TextPosition;
}

/** One statement in words, and whether it lets anyone on the internet in. */
export interface StatementSummary {
  sentence: string;
  effect: 'Allow' | 'Deny';
  /** Allows access to anyone ("Principal": "*"), conditions or not. */
  exposes: boolean;
  /** Denies requests that do not use TLS (aws:SecureTransport false): on a plain-HTTP endpoint, every request. */
  refusesPlainHttp: boolean;
}

/** What a check of a policy found. */
export interface PolicyCheck {
  /** Empty where the policy may be saved. */
  problems: PolicyProblem[];
  /** Each statement in words (only where the policy parsed as JSON). */
  statements: StatementSummary[];
}

/** The policy language versions AWS accepts; 2012-10-17 is current. */
const VERSIONS = ['2012-10-17', '2008-10-17'];
const TOP_LEVEL = ['Version', 'Id', 'Statement'];
const STATEMENT_KEYS = [
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
];
const PRINCIPAL_KINDS = ['AWS', 'Service', 'Federated', 'CanonicalUser'];

/** Condition operators of the IAM policy language (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html). */
const CONDITION_OPERATORS: Record<string, string> = {
  StringEquals: 'is',
  StringNotEquals: 'is not',
  StringEqualsIgnoreCase: 'is (any case)',
  StringNotEqualsIgnoreCase: 'is not (any case)',
  StringLike: 'matches',
  StringNotLike: 'does not match',
  NumericEquals: 'is',
  NumericNotEquals: 'is not',
  NumericLessThan: 'is less than',
  NumericLessThanEquals: 'is at most',
  NumericGreaterThan: 'is more than',
  NumericGreaterThanEquals: 'is at least',
  DateEquals: 'is',
  DateNotEquals: 'is not',
  DateLessThan: 'is before',
  DateLessThanEquals: 'is at or before',
  DateGreaterThan: 'is after',
  DateGreaterThanEquals: 'is at or after',
  Bool: 'is',
  BinaryEquals: 'is',
  IpAddress: 'is in',
  NotIpAddress: 'is not in',
  ArnEquals: 'is',
  ArnLike: 'matches',
  ArnNotEquals: 'is not',
  ArnNotLike: 'does not match',
  Null: 'is absent:',
};

/** The operator's base name without ForAllValues:/ForAnyValue: and IfExists, or undefined where unknown. */
function conditionOperator(name: string): string | undefined {
  const base = name.replace(/^(ForAllValues|ForAnyValue):/, '').replace(/IfExists$/, '');
  return Object.hasOwn(CONDITION_OPERATORS, base) ? base : undefined;
}

/** An S3 ARN's parts: the bucket and the key pattern after it (null for the bucket itself). */
function s3Arn(arn: string): { bucket: string; key: string | null } | undefined {
  const match = /^arn:(aws|aws-cn|aws-us-gov):s3:::([^/]+)(?:\/(.*))?$/.exec(arn);
  if (!match) return undefined;
  return { bucket: match[2] ?? '', key: match[3] ?? null };
}

/** The string values of a node that may be a string or an array of strings (Action, Resource, …). */
function stringsOf(node: JsonNode): { value: string; node: JsonNode }[] | undefined {
  if (node.kind === 'string') return [{ value: node.value, node }];
  if (node.kind === 'array' && node.items.every((item) => item.kind === 'string')) {
    return node.items.map((item) => ({ value: (item as { value: string }).value, node: item }));
  }
  return undefined;
}

/** Who a principal is, in words. */
function principalWords(node: JsonNode): { words: string; anyone: boolean } {
  if (node.kind === 'string')
    return node.value === '*'
      ? { words: 'anyone on the internet', anyone: true }
      : { words: node.value, anyone: false };
  if (node.kind !== 'object') return { words: 'someone', anyone: false };
  const names: string[] = [];
  let anyone = false;
  for (const member of node.members) {
    for (const { value } of stringsOf(member.value) ?? []) {
      if (member.key === 'AWS') {
        if (value === '*') {
          anyone = true;
          names.push('anyone on the internet');
          continue;
        }
        const account = /^(\d{12})$/.exec(value)?.[1] ?? /^arn:[\w-]+:iam::(\d{12}):root$/.exec(value)?.[1];
        const identity = /^arn:[\w-]+:(?:iam|sts)::(\d{12}):(user|role|assumed-role)\/(.+)$/.exec(value);
        if (account) names.push(`the AWS account ${account}`);
        else if (identity) {
          const kind = identity[2] === 'user' ? 'IAM user' : 'IAM role';
          names.push(`the ${kind} ${identity[3]} of the account ${identity[1]}`);
        } else names.push(value);
      } else if (member.key === 'Service') names.push(`the AWS service ${value}`);
      else if (member.key === 'CanonicalUser') names.push(`the canonical user ${value.slice(0, 12)}…`);
      else if (member.key === 'Federated') names.push(`people signed in through ${value}`);
    }
  }
  return { words: joinWords(names) || 'no one', anyone };
}

/** "a", "a and b", "a, b and c". */
function joinWords(words: readonly string[]): string {
  const unique = [...new Set(words)];
  if (unique.length <= 1) return unique[0] ?? '';
  return `${unique.slice(0, -1).join(', ')} and ${unique[unique.length - 1]}`;
}

/** Where a resource is, in words: "the bucket itself", "every object", "objects under photos/". */
function resourceWords(arn: string): string {
  if (arn === '*') return 'every bucket and object';
  const parts = s3Arn(arn);
  if (!parts) return arn;
  if (parts.key === null) return `the bucket ${parts.bucket} itself`;
  if (parts.key === '*') return `every object in ${parts.bucket}`;
  if (/^[^*?]*\*$/.test(parts.key)) return `objects under ${parts.key.slice(0, -1)}`;
  if (!/[*?]/.test(parts.key)) return `the object ${parts.key}`;
  return `objects matching ${parts.key}`;
}

/** The order kinds of action are named in. */
const KIND_ORDER: ActionKind[] = [
  'read',
  'list',
  'write',
  'delete',
  'object-settings',
  'bucket-read-settings',
  'bucket-change-settings',
  'delete-bucket',
  'account',
];

/** What a set of actions does, in words: "do anything", or the kinds joined. */
function actionWords(patterns: readonly string[], negated: boolean): string {
  const matched = new Set(patterns.flatMap(actionsMatching));
  if (!negated && matched.size >= s3Actions.size) return 'do anything';
  const kinds = new Set([...matched].map((name) => s3Actions.get(name)?.kind));
  const words = KIND_ORDER.filter((kind) => kinds.has(kind)).map((kind) => actionKindWords[kind]);
  const listed = joinWords(words) || 'do nothing known';
  return negated ? `do anything except ${listed}` : listed;
}

/** A condition block in words: "when the request does not use HTTPS", "when aws:SourceIp is in 203.0.113.0/24". */
function conditionWords(node: JsonNode | undefined): string {
  if (!node || node.kind !== 'object') return '';
  const parts: string[] = [];
  for (const operator of node.members) {
    if (operator.value.kind !== 'object') continue;
    const base = conditionOperator(operator.key);
    for (const entry of operator.value.members) {
      const values = scalarValues(entry.value);
      if (entry.key.toLowerCase() === 'aws:securetransport' && base === 'Bool') {
        parts.push(values.includes('false') ? 'the request does not use HTTPS' : 'the request uses HTTPS');
        continue;
      }
      if (base === 'Null') {
        parts.push(`${entry.key} is ${values.includes('true') ? 'absent' : 'present'}`);
        continue;
      }
      const verb = base ? CONDITION_OPERATORS[base] : operator.key;
      parts.push(`${entry.key} ${verb} ${values.length > 1 ? `one of ${values.join(', ')}` : (values[0] ?? '')}`);
    }
  }
  return parts.length === 0 ? '' : ` when ${parts.join(' and ')}`;
}

/** A condition value's scalars as text. */
function scalarValues(node: JsonNode): string[] {
  const items = node.kind === 'array' ? node.items : [node];
  return items.map((item) =>
    item.kind === 'string' ? item.value : item.kind === 'number' || item.kind === 'boolean' ? String(item.value) : '?',
  );
}

/** Checks one statement's grammar, adding problems; returns its summary where it reads as one. */
function checkStatement(
  statement: JsonNode,
  bucket: string,
  problem: (message: string, offset: number) => void,
  sids: Map<string, number>,
): StatementSummary | undefined {
  if (statement.kind !== 'object') {
    problem(
      'Each statement must be an object: { "Effect": …, "Principal": …, "Action": …, "Resource": … }.',
      statement.start,
    );
    return undefined;
  }
  const members = new Map<string, JsonMember>();
  for (const member of statement.members) {
    if (!STATEMENT_KEYS.includes(member.key)) {
      const hint = STATEMENT_KEYS.find((key) => key.toLowerCase() === member.key.toLowerCase());
      problem(
        hint
          ? `"${member.key}" must be written "${hint}" (names in a policy are case-sensitive).`
          : `"${member.key}" is not part of a statement. A statement takes ${STATEMENT_KEYS.join(', ')}.`,
        member.keyStart,
      );
      continue;
    }
    if (members.has(member.key)) problem(`"${member.key}" appears twice in this statement.`, member.keyStart);
    members.set(member.key, member);
  }

  const sid = members.get('Sid');
  if (sid) {
    if (sid.value.kind !== 'string' || !/^[A-Za-z0-9]*$/.test(sid.value.value)) {
      problem('A "Sid" is a string of letters and digits only.', sid.value.start);
    } else if (sids.has(sid.value.value)) {
      problem(`The Sid "${sid.value.value}" is used by another statement; each must be different.`, sid.value.start);
    } else sids.set(sid.value.value, sid.value.start);
  }

  const effect = members.get('Effect');
  let effectValue: 'Allow' | 'Deny' | undefined;
  if (!effect) problem('This statement has no "Effect": add "Effect": "Allow" or "Effect": "Deny".', statement.start);
  else if (effect.value.kind !== 'string' || (effect.value.value !== 'Allow' && effect.value.value !== 'Deny')) {
    problem('"Effect" must be "Allow" or "Deny".', effect.value.start);
  } else effectValue = effect.value.value;

  const principal = members.get('Principal');
  const notPrincipal = members.get('NotPrincipal');
  if (principal && notPrincipal) problem('Use "Principal" or "NotPrincipal", not both.', notPrincipal.keyStart);
  if (!principal && !notPrincipal) {
    problem('A bucket policy statement needs a "Principal": whom it applies to ("*" for anyone).', statement.start);
  }
  for (const member of [principal, notPrincipal]) {
    if (!member) continue;
    const node = member.value;
    if (node.kind === 'string') {
      if (node.value !== '*')
        problem('A "Principal" string can only be "*"; name others as { "AWS": "…" }.', node.start);
    } else if (node.kind === 'object') {
      for (const kind of node.members) {
        if (!PRINCIPAL_KINDS.includes(kind.key)) {
          problem(`"${kind.key}" is not a kind of principal. Use ${PRINCIPAL_KINDS.join(', ')}.`, kind.keyStart);
        } else if (!stringsOf(kind.value)) {
          problem(`"${kind.key}" takes a string or a list of strings.`, kind.value.start);
        } else if (kind.key === 'AWS') {
          for (const { value, node: item } of stringsOf(kind.value) ?? []) {
            if (value !== '*' && !/^\d{12}$/.test(value) && !/^arn:[\w-]+:(iam|sts)::\d{12}:/.test(value)) {
              problem(
                `"${value}" is not an AWS principal: use "*", a 12-digit account id, or an IAM ARN (arn:aws:iam::123456789012:root).`,
                item.start,
              );
            }
          }
        }
      }
    } else
      problem('"Principal" must be "*" or an object such as { "AWS": "arn:aws:iam::123456789012:root" }.', node.start);
  }

  const action = members.get('Action');
  const notAction = members.get('NotAction');
  if (action && notAction) problem('Use "Action" or "NotAction", not both.', notAction.keyStart);
  if (!action && !notAction)
    problem('This statement has no "Action": say what it allows or denies (e.g. "s3:GetObject").', statement.start);
  const actionMember = action ?? notAction;
  const actionPatterns: string[] = [];
  if (actionMember) {
    const values = stringsOf(actionMember.value);
    if (!values || values.length === 0) {
      problem(
        `"${actionMember.key}" takes an action or a list of actions, such as "s3:GetObject".`,
        actionMember.value.start,
      );
    }
    for (const { value, node } of values ?? []) {
      actionPatterns.push(value);
      if (value === '*') continue;
      const colon = value.indexOf(':');
      if (colon < 0) problem(`"${value}" is not an action: actions are written "s3:Name".`, node.start);
      else if (value.slice(0, colon).toLowerCase() !== 's3') {
        problem(`"${value}" is not an S3 action: a bucket policy takes S3 actions only ("s3:…").`, node.start);
      } else {
        const matched = actionsMatching(value);
        if (matched.length === 0) problem(`"${value}" is not a known S3 action.${suggestion(value)}`, node.start);
        else if (!/[*?]/.test(value) && matched.every((name) => s3Actions.get(name)?.level === 'account')) {
          problem(`"${value}" acts on the account, not a bucket: a bucket policy cannot grant it.`, node.start);
        }
      }
    }
  }

  const resource = members.get('Resource');
  const notResource = members.get('NotResource');
  if (resource && notResource) problem('Use "Resource" or "NotResource", not both.', notResource.keyStart);
  if (!resource && !notResource) {
    problem(
      `This statement has no "Resource": name the bucket (arn:aws:s3:::${bucket}) or its objects (arn:aws:s3:::${bucket}/*).`,
      statement.start,
    );
  }
  const resourceMember = resource ?? notResource;
  const resources: string[] = [];
  if (resourceMember) {
    const values = stringsOf(resourceMember.value);
    if (!values || values.length === 0) {
      problem(
        `"${resourceMember.key}" takes an ARN or a list of ARNs, such as "arn:aws:s3:::${bucket}/*".`,
        resourceMember.value.start,
      );
    }
    for (const { value, node } of values ?? []) {
      resources.push(value);
      const parts = s3Arn(value);
      if (value === '*') continue;
      if (!parts)
        problem(
          `"${value}" is not an S3 ARN: write arn:aws:s3:::${bucket} or arn:aws:s3:::${bucket}/<key pattern>.`,
          node.start,
        );
      else if (!iamPattern(parts.bucket).test(bucket)) {
        problem(
          `"${value}" names the bucket "${parts.bucket}": this policy belongs to "${bucket}" and can only name it.`,
          node.start,
        );
      }
    }
  }
  // An action that applies to none of the resources: AWS refuses the policy ("Action does not apply to any resource(s) in statement").
  if (action && resource && actionPatterns.length > 0 && resources.length > 0 && !resources.includes('*')) {
    const levels = new Set(actionPatterns.flatMap(actionsMatching).map((name) => s3Actions.get(name)?.level));
    const hasObject = resources.some((arn) => s3Arn(arn)?.key != null);
    const hasBucket = resources.some((arn) => s3Arn(arn)?.key === null);
    if (levels.size > 0 && !(levels.has('object') && hasObject) && !(levels.has('bucket') && hasBucket)) {
      const wants = levels.has('object')
        ? `objects (arn:aws:s3:::${bucket}/*)`
        : `the bucket itself (arn:aws:s3:::${bucket})`;
      problem(`These actions do not apply to the resources named: they act on ${wants}.`, action.value.start);
    }
  }

  const condition = members.get('Condition');
  if (condition) {
    if (condition.value.kind !== 'object')
      problem('"Condition" must be an object: { "Operator": { "key": "value" } }.', condition.value.start);
    else {
      for (const operator of condition.value.members) {
        if (!conditionOperator(operator.key)) {
          problem(
            `"${operator.key}" is not a condition operator (for example StringEquals, StringLike, Bool, IpAddress).`,
            operator.keyStart,
          );
        } else if (operator.value.kind !== 'object') {
          problem(`"${operator.key}" takes an object of condition keys and values.`, operator.value.start);
        } else {
          for (const entry of operator.value.members) {
            const ok = entry.value.kind === 'array' ? entry.value.items.every(isScalar) : isScalar(entry.value);
            if (!ok)
              problem(
                `The value of "${entry.key}" must be a string, number, true/false or a list of them.`,
                entry.value.start,
              );
          }
        }
      }
    }
  }

  if (!effectValue || !(principal ?? notPrincipal) || actionPatterns.length === 0 || resources.length === 0)
    return undefined;
  const who = principal
    ? principalWords(principal.value)
    : { words: `everyone except ${principalWords(notPrincipal!.value).words}`, anyone: true };
  const what = actionWords(actionPatterns, !action);
  const where = notResource
    ? `anywhere except ${joinWords(resources.map(resourceWords))}`
    : joinWords(resources.map(resourceWords));
  const when = conditionWords(condition?.value);
  const subject = who.words.charAt(0).toUpperCase() + who.words.slice(1);
  const sentence =
    effectValue === 'Allow'
      ? `${subject} can ${what} (${where})${when}.`
      : who.anyone
        ? `No one can ${what} (${where})${when}, whatever else allows it.`
        : `${subject} cannot ${what} (${where})${when}, whatever else allows it.`;
  return {
    sentence,
    effect: effectValue,
    exposes: effectValue === 'Allow' && who.anyone,
    refusesPlainHttp: effectValue === 'Deny' && deniesWithoutTls(condition?.value),
  };
}

/** Whether a condition block holds for requests without TLS: Bool aws:SecureTransport "false". */
function deniesWithoutTls(node: JsonNode | undefined): boolean {
  if (!node || node.kind !== 'object') return false;
  return node.members.some(
    (operator) =>
      conditionOperator(operator.key) === 'Bool' &&
      operator.value.kind === 'object' &&
      operator.value.members.some(
        (entry) => entry.key.toLowerCase() === 'aws:securetransport' && scalarValues(entry.value).includes('false'),
      ),
  );
}

function isScalar(node: JsonNode): boolean {
  return node.kind === 'string' || node.kind === 'number' || node.kind === 'boolean';
}

/** " Did you mean s3:GetObject?" where an action differs from a known one only by case or a letter or two. */
function suggestion(pattern: string): string {
  const name = pattern.slice(pattern.indexOf(':') + 1).toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const known of s3Actions.keys()) {
    const distance = editDistance(name, known.toLowerCase());
    if (distance < bestDistance) {
      best = known;
      bestDistance = distance;
    }
  }
  return best ? ` Did you mean "s3:${best}"?` : '';
}

/** Levenshtein distance, for suggestions. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const next = [i];
    for (let j = 1; j <= b.length; j += 1) {
      next[j] = Math.min(
        (row[j] ?? 0) + 1,
        (next[j - 1] ?? 0) + 1,
        (row[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    row = next;
  }
  return row[b.length] ?? 0;
}

/** Checks a bucket policy's text for the bucket it is meant for: its problems, and what it allows in words. */
export function checkBucketPolicy(text: string, bucket: string): PolicyCheck {
  const parsed = parseJsonWithPositions(text);
  if (!parsed.ok) return { problems: [parsed.error], statements: [] };
  const problems: PolicyProblem[] = [];
  const problem = (message: string, offset: number) => problems.push({ message, position: positionAt(text, offset) });
  const root = parsed.node;
  if (root.kind !== 'object') {
    problem('A policy is a JSON object: { "Version": "2012-10-17", "Statement": [ … ] }.', root.start);
    return { problems, statements: [] };
  }
  const seen = new Set<string>();
  for (const member of root.members) {
    if (!TOP_LEVEL.includes(member.key)) {
      const hint = TOP_LEVEL.find((key) => key.toLowerCase() === member.key.toLowerCase());
      problem(
        hint
          ? `"${member.key}" must be written "${hint}" (names in a policy are case-sensitive).`
          : `"${member.key}" is not part of a policy, which takes Version, Id and Statement.`,
        member.keyStart,
      );
    }
    if (seen.has(member.key)) problem(`"${member.key}" appears twice.`, member.keyStart);
    seen.add(member.key);
  }
  const version = root.members.find((m) => m.key === 'Version');
  if (!version)
    problem(
      'Add "Version": "2012-10-17": without it, policy variables such as ${aws:username} do not work.',
      root.start,
    );
  else if (version.value.kind !== 'string' || !VERSIONS.includes(version.value.value)) {
    problem('"Version" must be "2012-10-17" (the current policy language) or "2008-10-17".', version.value.start);
  }
  const statementMember = root.members.find((m) => m.key === 'Statement');
  const statements: StatementSummary[] = [];
  if (!statementMember) {
    problem('This policy has no "Statement": add a list of statements.', root.start);
  } else {
    const list = statementMember.value.kind === 'array' ? statementMember.value.items : [statementMember.value];
    if (list.length === 0)
      problem('"Statement" is empty: a policy needs at least one statement.', statementMember.value.start);
    const sids = new Map<string, number>();
    for (const statement of list) {
      const summary = checkStatement(statement, bucket, problem, sids);
      if (summary) statements.push(summary);
    }
  }
  problems.sort((a, b) => a.position.offset - b.position.offset);
  return { problems, statements };
}

/** A problem as one line: "Line 4, column 17: …". */
export function problemText(problem: PolicyProblem): string {
  return `Line ${problem.position.line}, column ${problem.position.column}: ${problem.message}`;
}

/** The statements that open a bucket to anyone, in words, for the confirmation. */
export function exposingStatements(check: PolicyCheck): string[] {
  return check.statements.filter((statement) => statement.exposes).map((statement) => statement.sentence);
}

/**
 * What saving the policy would do to this app's own requests where the account reaches the service
 * over plain HTTP: a statement that denies requests without TLS refuses all of them (SeaweedFS
 * applies it to the bucket's owner too), so the policy could not even be changed back from here.
 * Undefined where nothing is in the way.
 */
export function plainHttpLockout(check: PolicyCheck, endpoint: string): string | undefined {
  if (!endpoint.toLowerCase().startsWith('http://')) return undefined;
  if (!check.statements.some((statement) => statement.refusesPlainHttp)) return undefined;
  return `This account reaches the service over plain HTTP (${endpoint}), and this policy refuses requests without TLS: the service may refuse this app's own requests to the bucket, including the ones that would change the policy back.`;
}

/** A ready-made statement the editor offers. */
export type PolicyTemplate =
  | { kind: 'public-read-prefix'; prefix: string }
  | { kind: 'deny-non-tls' }
  | { kind: 'grant-account'; accountId: string; access: 'read' | 'read-write' };

/** The statements of a template, for the bucket. */
export function templateStatements(template: PolicyTemplate, bucket: string): object[] {
  const arn = `arn:aws:s3:::${bucket}`;
  switch (template.kind) {
    case 'public-read-prefix': {
      const prefix = template.prefix.replace(/^\/+/, '');
      return [
        {
          Sid: `PublicRead${prefix.replace(/[^A-Za-z0-9]/g, '') || 'All'}`,
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: `${arn}/${prefix}*`,
        },
      ];
    }
    case 'deny-non-tls':
      return [
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [arn, `${arn}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ];
    case 'grant-account': {
      const principal = { AWS: `arn:aws:iam::${template.accountId}:root` };
      const objectActions =
        template.access === 'read' ? ['s3:GetObject'] : ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'];
      return [
        {
          Sid: `ListFor${template.accountId}`,
          Effect: 'Allow',
          Principal: principal,
          Action: 's3:ListBucket',
          Resource: arn,
        },
        {
          Sid: `ObjectsFor${template.accountId}`,
          Effect: 'Allow',
          Principal: principal,
          Action: objectActions,
          Resource: `${arn}/*`,
        },
      ];
    }
  }
}

/**
 * The policy text with a template's statements added: to the statements of the current text
 * where it parses as a policy (a statement with the same Sid is replaced), else as a new policy.
 */
export function withTemplate(text: string, template: PolicyTemplate, bucket: string): string {
  const added = templateStatements(template, bucket) as { Sid?: string }[];
  let policy: { Version?: unknown; Statement?: unknown } = {};
  try {
    const parsed: unknown = text.trim() === '' ? {} : JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) policy = parsed as typeof policy;
  } catch {
    policy = {};
  }
  const current = Array.isArray(policy.Statement)
    ? (policy.Statement as { Sid?: string }[])
    : policy.Statement
      ? [policy.Statement as { Sid?: string }]
      : [];
  const sids = new Set(added.map((statement) => statement.Sid));
  const statements = [...current.filter((statement) => !sids.has(statement.Sid)), ...added];
  return `${JSON.stringify({ ...policy, Version: policy.Version ?? '2012-10-17', Statement: statements }, null, 2)}\n`;
}
