import { describe, expect, it } from 'vitest';
import { checkBucketPolicy, exposingStatements, plainHttpLockout, problemText, withTemplate } from './bucket-policy';
import { parseJsonWithPositions } from './json-positions';

const bucket = 'photos-bucket';
/** A policy with one statement, indented as people write them. */
const policy = (statement: object) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] }, null, 2);

describe('the JSON parser with positions', () => {
  it('says where a syntax error is, in lines and columns, with words that say what to do', () => {
    const text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Effect": "Allow" },\n  ]\n}';
    const parsed = parseJsonWithPositions(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.position).toMatchObject({ line: 4, column: 26 });
    expect(parsed.error.message).toMatch(/trailing comma/);
    const unclosed = parseJsonWithPositions('{\n  "Version": "2012-10-17,\n}');
    expect(unclosed.ok ? null : unclosed.error).toMatchObject({ position: { line: 2, column: 14 } });
    const single = parseJsonWithPositions("{ 'Version': 1 }");
    expect(single.ok ? null : single.error.message).toMatch(/double quotes/);
    const missingComma = parseJsonWithPositions('{\n "a": 1\n "b": 2\n}');
    expect(missingComma.ok ? null : missingComma.error).toMatchObject({
      position: { line: 3, column: 2 },
      message: 'Expected a comma (,) or "}" here, found """.',
    });
  });

  it('parses what JSON.parse parses, keeping spans', () => {
    const text = '{"a": [1, -2.5e3, true, null, "x\\u0041\\n"], "b": {}}';
    const parsed = parseJsonWithPositions(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok || parsed.node.kind !== 'object') return;
    const [a] = parsed.node.members;
    expect(a?.keyStart).toBe(1);
    expect(
      a?.value.kind === 'array' ? a.value.items.map((item) => ('value' in item ? item.value : null)) : null,
    ).toEqual([1, -2500, true, null, 'xA\n']);
  });
});

describe('checking a bucket policy', () => {
  it('accepts a valid policy and says what it allows in words', () => {
    const check = checkBucketPolicy(
      policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/photos/*` }),
      bucket,
    );
    expect(check.problems).toEqual([]);
    expect(check.statements).toEqual([
      {
        effect: 'Allow',
        exposes: true,
        refusesPlainHttp: false,
        sentence: 'Anyone on the internet can read objects (objects under photos/).',
      },
    ]);
    expect(exposingStatements(check)).toHaveLength(1);
  });

  it('flags an unknown action at its line and column, suggesting the known one', () => {
    const text = policy({
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObjekt',
      Resource: `arn:aws:s3:::${bucket}/*`,
    });
    const [problem] = checkBucketPolicy(text, bucket).problems;
    expect(problem && problemText(problem)).toBe(
      'Line 7, column 17: "s3:GetObjekt" is not a known S3 action. Did you mean "s3:GetObject"?',
    );
  });

  it('flags grammar problems each at its place: effect, principal, resource of another bucket, operator, keys', () => {
    const text = policy({
      Effect: 'Permit',
      Principal: { Someone: 'x' },
      Action: ['s3:GetObject', 'iam:PassRole'],
      Resource: 'arn:aws:s3:::other-bucket/*',
      Condition: { StringEqualz: { 'aws:SourceIp': '1.2.3.4' } },
      action: 'x',
    });
    const messages = checkBucketPolicy(text, bucket).problems.map(problemText);
    expect(messages).toEqual([
      'Line 5, column 17: "Effect" must be "Allow" or "Deny".',
      'Line 7, column 9: "Someone" is not a kind of principal. Use AWS, Service, Federated, CanonicalUser.',
      'Line 11, column 9: "iam:PassRole" is not an S3 action: a bucket policy takes S3 actions only ("s3:…").',
      `Line 13, column 19: "arn:aws:s3:::other-bucket/*" names the bucket "other-bucket": this policy belongs to "${bucket}" and can only name it.`,
      'Line 15, column 9: "StringEqualz" is not a condition operator (for example StringEquals, StringLike, Bool, IpAddress).',
      'Line 19, column 7: "action" must be written "Action" (names in a policy are case-sensitive).',
    ]);
  });

  it('wants Version, Statement, Effect, Principal, Action and Resource, and actions that fit their resources', () => {
    expect(checkBucketPolicy('{}', bucket).problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/Add "Version"/),
      expect.stringMatching(/no "Statement"/),
    ]);
    const bare = checkBucketPolicy(policy({}), bucket).problems.map((p) => p.message);
    expect(bare).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/no "Effect"/),
        expect.stringMatching(/needs a "Principal"/),
        expect.stringMatching(/no "Action"/),
        expect.stringMatching(/no "Resource"/),
      ]),
    );
    const mismatch = checkBucketPolicy(
      policy({ Effect: 'Allow', Principal: '*', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${bucket}/*` }),
      bucket,
    );
    expect(mismatch.problems.map((p) => p.message)).toEqual([
      `These actions do not apply to the resources named: they act on the bucket itself (arn:aws:s3:::${bucket}).`,
    ]);
    expect(checkBucketPolicy('[]', bucket).problems[0]?.message).toMatch(/JSON object/);
  });

  it('summarizes deny-without-TLS, another account and wildcards in words, none of them exposing', () => {
    let text = withTemplate('', { kind: 'deny-non-tls' }, bucket);
    text = withTemplate(text, { kind: 'grant-account', accountId: '111122223333', access: 'read-write' }, bucket);
    const check = checkBucketPolicy(text, bucket);
    expect(check.problems).toEqual([]);
    expect(check.statements.map((s) => s.sentence)).toEqual([
      `No one can do anything (the bucket ${bucket} itself and every object in ${bucket}) when the request does not use HTTPS, whatever else allows it.`,
      `The AWS account 111122223333 can list the objects (the bucket ${bucket} itself).`,
      `The AWS account 111122223333 can read objects, upload and overwrite objects and delete objects (every object in ${bucket}).`,
    ]);
    expect(exposingStatements(check)).toEqual([]);
    // Over plain HTTP the deny-without-TLS statement would refuse the app's own requests: said before saving.
    expect(plainHttpLockout(check, 'http://127.0.0.1:9000')).toMatch(/refuse this app's own requests/);
    expect(plainHttpLockout(check, 'https://s3.example.com')).toBeUndefined();
  });

  it('adds a template to the statements there, replacing one with the same Sid', () => {
    const once = withTemplate('', { kind: 'public-read-prefix', prefix: 'photos/' }, bucket);
    const twice = withTemplate(once, { kind: 'public-read-prefix', prefix: 'photos/' }, bucket);
    const parsed = JSON.parse(twice) as { Statement: { Sid: string; Resource: string }[] };
    expect(parsed.Statement).toEqual([
      expect.objectContaining({ Sid: 'PublicReadphotos', Resource: `arn:aws:s3:::${bucket}/photos/*` }),
    ]);
    expect(exposingStatements(checkBucketPolicy(twice, bucket))).toEqual([
      'Anyone on the internet can read objects (objects under photos/).',
    ]);
  });
});
