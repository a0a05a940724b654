import { describe, expect, it } from 'vitest';
import { formatLocation, isParseError, parseLocationInput, s3LinkInArguments } from './s3-location';

describe('parseLocationInput', () => {
  it('reads s3:// paths as the AWS CLI writes them', () => {
    expect(parseLocationInput('s3://photos/2024/summer/')).toEqual({
      bucket: 'photos',
      path: '2024/summer/',
      kind: 'folder',
    });
    expect(parseLocationInput('  s3://photos  ')).toEqual({ bucket: 'photos', path: '', kind: 'folder' });
    expect(parseLocationInput('s3://photos/')).toEqual({ bucket: 'photos', path: '', kind: 'folder' });
    expect(parseLocationInput('S3://photos/a.jpg')).toEqual({ bucket: 'photos', path: 'a.jpg', kind: 'either' });
  });

  it('reads bucket/prefix with or without a leading slash', () => {
    expect(parseLocationInput('photos/2024/')).toEqual({ bucket: 'photos', path: '2024/', kind: 'folder' });
    expect(parseLocationInput('/photos/2024')).toEqual({ bucket: 'photos', path: '2024', kind: 'either' });
    expect(parseLocationInput('photos')).toEqual({ bucket: 'photos', path: '', kind: 'folder' });
  });

  it('keeps keys as typed: % and + are characters of S3 keys', () => {
    expect(parseLocationInput('s3://b/100%25 done+more/')).toEqual({
      bucket: 'b',
      path: '100%25 done+more/',
      kind: 'folder',
    });
  });

  it('reads AWS console bucket pages with a prefix', () => {
    expect(
      parseLocationInput(
        'https://us-east-1.console.aws.amazon.com/s3/buckets/my-bucket?region=us-east-1&bucketType=general&prefix=reports/2024%20Q1/&showversions=false',
      ),
    ).toEqual({ bucket: 'my-bucket', path: 'reports/2024 Q1/', kind: 'folder', region: 'us-east-1' });
    expect(parseLocationInput('https://s3.console.aws.amazon.com/s3/buckets/my-bucket?region=eu-west-1')).toEqual({
      bucket: 'my-bucket',
      path: '',
      kind: 'folder',
      region: 'eu-west-1',
    });
    expect(parseLocationInput('https://console.aws.amazon.com/s3/buckets/my-bucket/')).toEqual({
      bucket: 'my-bucket',
      path: '',
      kind: 'folder',
    });
  });

  it('reads the older console forms', () => {
    expect(parseLocationInput('https://s3.console.aws.amazon.com/s3/buckets/my-bucket/a/b/?region=us-west-2')).toEqual({
      bucket: 'my-bucket',
      path: 'a/b/',
      kind: 'folder',
      region: 'us-west-2',
    });
    expect(
      parseLocationInput('https://console.aws.amazon.com/s3/home?region=us-east-1&bucket=my-bucket&prefix=x/y/'),
    ).toEqual({ bucket: 'my-bucket', path: 'x/y/', kind: 'folder', region: 'us-east-1' });
  });

  it('reads console object pages as an object', () => {
    expect(
      parseLocationInput(
        'https://eu-central-1.console.aws.amazon.com/s3/object/my-bucket?region=eu-central-1&bucketType=general&prefix=docs/report+final%2B1.pdf',
      ),
    ).toEqual({ bucket: 'my-bucket', path: 'docs/report final+1.pdf', kind: 'object', region: 'eu-central-1' });
  });

  it('reads GovCloud and China console hosts, and S3 ARNs', () => {
    expect(parseLocationInput('https://console.amazonaws-us-gov.com/s3/buckets/gov?prefix=a/')).toEqual({
      bucket: 'gov',
      path: 'a/',
      kind: 'folder',
    });
    expect(parseLocationInput('https://console.amazonaws.cn/s3/buckets/cn')).toEqual({
      bucket: 'cn',
      path: '',
      kind: 'folder',
    });
    expect(parseLocationInput('arn:aws:s3:::logs/2024/')).toEqual({ bucket: 'logs', path: '2024/', kind: 'folder' });
  });

  it('takes the region from the console host when the query has none, and ignores a malformed one', () => {
    expect(parseLocationInput('https://ap-south-1.console.aws.amazon.com/s3/buckets/b?prefix=x/')).toEqual({
      bucket: 'b',
      path: 'x/',
      kind: 'folder',
      region: 'ap-south-1',
    });
    expect(parseLocationInput('https://s3.console.aws.amazon.com/s3/buckets/b?region=<script>')).toEqual({
      bucket: 'b',
      path: '',
      kind: 'folder',
    });
  });

  it('reads virtual-hosted S3 object URLs, with the region from the host', () => {
    expect(parseLocationInput('https://photos.s3.eu-west-1.amazonaws.com/2024/a%20b%2Bc.jpg')).toEqual({
      bucket: 'photos',
      path: '2024/a b+c.jpg',
      kind: 'object',
      region: 'eu-west-1',
    });
    expect(parseLocationInput('https://photos.s3.amazonaws.com/2024/')).toEqual({
      bucket: 'photos',
      path: '2024/',
      kind: 'folder',
    });
    expect(parseLocationInput('https://my.logs.s3backup.s3-us-west-2.amazonaws.com/x')).toEqual({
      bucket: 'my.logs.s3backup',
      path: 'x',
      kind: 'object',
      region: 'us-west-2',
    });
    expect(parseLocationInput('https://b.s3.dualstack.cn-north-1.amazonaws.com.cn/k')).toEqual({
      bucket: 'b',
      path: 'k',
      kind: 'object',
      region: 'cn-north-1',
    });
  });

  it('reads path-style S3 URLs', () => {
    expect(parseLocationInput('https://s3.us-east-2.amazonaws.com/photos/2024/a.jpg')).toEqual({
      bucket: 'photos',
      path: '2024/a.jpg',
      kind: 'object',
      region: 'us-east-2',
    });
    expect(parseLocationInput('https://s3.amazonaws.com/photos')).toEqual({
      bucket: 'photos',
      path: '',
      kind: 'folder',
    });
    expect(isParseError(parseLocationInput('https://s3.amazonaws.com/'))).toBe(true);
    expect(isParseError(parseLocationInput('https://s3.amazonaws.com/b/%E0%A4%A'))).toBe(true);
  });

  it('explains what it cannot read', () => {
    for (const text of [
      '',
      '   ',
      's3://',
      's3:///folder',
      'https://example.com/bucket/key',
      'https://console.aws.amazon.com/ec2/home',
      'https://console.aws.amazon.com/s3/',
      'ftp://host/file',
      'my bucket/folder',
    ]) {
      const result = parseLocationInput(text);
      expect(isParseError(result), text).toBe(true);
      if (isParseError(result)) expect(result.error.length).toBeGreaterThan(10);
    }
  });
});

describe('s3LinkInArguments', () => {
  it('finds the s3:// link the OS passed on the command line', () => {
    expect(s3LinkInArguments(['/opt/app/s3fm', '--no-sandbox', 's3://photos/2024/'])).toBe('s3://photos/2024/');
    expect(s3LinkInArguments(['app.exe', 'S3://b/k'])).toBe('S3://b/k');
    expect(s3LinkInArguments(['/opt/app/s3fm', 's3://', '--flag'])).toBeUndefined();
  });
});

describe('formatLocation', () => {
  it('writes a location as an s3:// path', () => {
    expect(formatLocation('photos', '')).toBe('s3://photos/');
    expect(formatLocation('photos', 'a/b/')).toBe('s3://photos/a/b/');
  });
});
