import fs from 'node:fs';
import path from 'node:path';
import { normaliseDraft03Schema, validateDescriptor } from '../../src/emulator';
import { buildDescriptor } from './helpers/start-fake-addon';

describe('descriptor validation', () => {
  it('rewrites draft-03 union types into anyOf, recursively, leaving property names alone', () => {
    const input = {
      type: 'object',
      properties: {
        type: { type: 'string' },
        avatar: { type: [{ type: 'string' }, { type: 'object', properties: { url: { type: [{ type: 'string' }] } } }] },
        both: { type: ['string', 'null'] },
        list: { type: 'array', minLength: 1, items: { type: 'string' } },
      },
    };
    expect(normaliseDraft03Schema(JSON.parse(JSON.stringify(input)))).toEqual({
      type: 'object',
      properties: {
        type: { type: 'string' },
        avatar: { anyOf: [{ type: 'string' }, { type: 'object', properties: { url: { anyOf: [{ type: 'string' }] } } }] },
        both: { type: ['string', 'null'] },
        list: { type: 'array', minItems: 1, items: { type: 'string' } },
      },
    });
  });

  it('leaves no draft-03 union types in HipChat\'s schema', () => {
    const raw = JSON.parse(fs.readFileSync(path.join(__dirname, '../../src/emulator/descriptor/addon-capabilities.schema.json'), 'utf8'));
    const text = JSON.stringify(normaliseDraft03Schema(raw));
    expect(text).not.toMatch(/"type":\[\{/);
  });

  it('accepts a complete descriptor and the avatar union (string or object)', () => {
    const descriptor = buildDescriptor('https://addon.example.com');
    expect(validateDescriptor(descriptor)).toMatchObject({ ok: true });
    descriptor.capabilities.hipchatApiConsumer.avatar = 'https://addon.example.com/a.png';
    expect(validateDescriptor(descriptor).ok).toBe(true);
    descriptor.capabilities.hipchatApiConsumer.avatar = { 'url@2x': 'x' };
    expect(validateDescriptor(descriptor).ok).toBe(false);
  });

  it('lists every problem at once', () => {
    const descriptor = buildDescriptor('https://addon.example.com');
    descriptor.capabilities.webhook[0].key = 'x'.repeat(41);
    descriptor.capabilities.webPanel[0].location = 'hipchat.sidebar.left';
    descriptor.apiVersion = 'one';
    descriptor.capabilities.webhook[0].pattern = '(';
    const result = validateDescriptor(descriptor);
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors.join('\n');
    expect(errors).toMatch(/webhook\/0\/key/);
    expect(errors).toMatch(/webPanel\/0\/location/);
    expect(errors).toMatch(/apiVersion/);
    expect(errors).toMatch(/pattern/);
  });

  it('refuses duplicate module keys and an empty conditions list (schema minLength read as minItems)', () => {
    const descriptor = buildDescriptor('https://addon.example.com');
    descriptor.capabilities.dialog.push({ key: 'create', title: { value: 'Again' }, url: 'https://addon.example.com/d2' });
    expect(validateDescriptor(descriptor)).toMatchObject({ ok: false, errors: [expect.stringMatching(/duplicate key "create"/)] });
    const withConditions = buildDescriptor('https://addon.example.com');
    withConditions.capabilities.glance[0].conditions = [];
    expect(validateDescriptor(withConditions).ok).toBe(false);
  });
});
