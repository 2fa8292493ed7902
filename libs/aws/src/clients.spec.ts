import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCAL_REGION } from '@lakehouse/pipeline';
import { athenaClient, kinesisClient } from './clients';
import { readStackOutputs } from './stack-outputs';

describe('kinesisClient', () => {
  it('signs local-endpoint calls with fixed credentials and a default region', async () => {
    const client = kinesisClient({ endpoint: 'http://127.0.0.1:4567' });
    expect(await client.config.region()).toBe(LOCAL_REGION);
    expect(await client.config.credentials()).toMatchObject({ accessKeyId: 'local' });
    const endpoint = await client.config.endpoint?.();
    expect(endpoint).toMatchObject({ hostname: '127.0.0.1', port: 4567, protocol: 'http:' });
  });

  it('uses the region it is given', async () => {
    expect(await kinesisClient({ region: 'eu-west-1' }).config.region()).toBe('eu-west-1');
  });
});

describe('readStackOutputs', () => {
  it('says how to deploy when no outputs file exists', async () => {
    await expect(readStackOutputs('dev', '/nonexistent/outputs.json')).rejects.toThrow(
      'no deployed stack found: /nonexistent/outputs.json is missing; deploy with "nx run infra:deploy --stack=lakehouse-dev"',
    );
  });

  it('reads one environment from the outputs file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'outputs-'));
    const file = join(dir, 'outputs.json');
    const dev = { region: 'eu-west-1', stream_name: 's', stream_arn: 'a', bucket: 'b', database: 'd', table: 't', workgroup: 'w' };
    await writeFile(file, JSON.stringify({ 'lakehouse-dev': dev }));
    expect(await readStackOutputs('dev', file)).toEqual(dev);
    await writeFile(file, '{not json');
    await expect(readStackOutputs('dev', file)).rejects.toThrow('not valid JSON');
  });
});

describe('athenaClient', () => {
  it('is loaded on first use and signs local-endpoint calls with fixed credentials', async () => {
    const client = await athenaClient({ endpoint: 'http://127.0.0.1:4568' });
    expect(await client.config.credentials()).toMatchObject({ accessKeyId: 'local' });
    expect(process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED']).toBe('true');
  });
});
