import { describe, expect, it } from 'vitest';
import { BOTH, NEITHER } from './field-policy.js';
import {
  checkItem,
  checkNestedFields,
  type NestedPolicy,
  refuseVariant,
} from './nested-field-policy.js';

const POLICY: NestedPolicy = {
  'parts[text].type': BOTH,
  'parts[text].text': BOTH,
  'parts[text].detail': { ...NEITHER, absent: ['auto', { level: 0 }], reason: 'no detail' },
  'parts[audio]': { ...NEITHER, reason: 'no audio' },
};

function thrown(run: () => unknown): { code?: string; param?: string; message?: string } {
  try {
    run();
  } catch (error) {
    return error as { code?: string; param?: string; message?: string };
  }
  return {};
}

describe('nested field policy', () => {
  it('refuses unknown keys by path, and takes them as absent when null', () => {
    const check = (part: Record<string, unknown>) =>
      thrown(() => checkNestedFields(part, POLICY, 'parts[text]', 'body.parts[3]'));
    expect(check({ type: 'text', text: 'x' })).toEqual({});
    expect(check({ type: 'text', colour: 'red' })).toEqual(
      expect.objectContaining({
        code: 'invalid_request',
        param: 'body.parts[3].colour',
        message: 'Unknown field `body.parts[3].colour`',
      }),
    );
    expect(check({ type: 'text', colour: null })).toEqual({});
  });

  it('refuses a field refused everywhere by path, except its default values', () => {
    const check = (detail: unknown) =>
      thrown(() => checkNestedFields({ detail }, POLICY, 'parts[text]', 'parts[0]'));
    expect(check('high')).toEqual(
      expect.objectContaining({
        code: 'unsupported',
        param: 'parts[0].detail',
        message: '`parts[0].detail` is not supported: no detail.',
      }),
    );
    expect(check('auto')).toEqual({});
    expect(check({ level: 0 })).toEqual({});
    expect(check({ level: 1 })).toMatchObject({ code: 'unsupported' });
    expect(check(null)).toEqual({});
  });

  it('refuses a kind of item as a whole, naming its discriminator', () => {
    expect(thrown(() => refuseVariant(POLICY, 'parts', 'audio', 'parts[1]'))).toEqual(
      expect.objectContaining({
        code: 'unsupported',
        param: 'parts[1].type',
        message: '`parts[1]` (type `audio`) is not supported: no audio.',
      }),
    );
    expect(thrown(() => refuseVariant(POLICY, 'parts', 'text', 'parts[1]'))).toEqual({});
    expect(thrown(() => refuseVariant(POLICY, 'parts', 'video', 'parts[1]'))).toEqual({});
  });

  it('checks an item by its kind; kinds it does not know are left to the decoder', () => {
    expect(
      thrown(() => checkItem({ type: 'text', colour: 1 }, POLICY, 'parts', 'parts[0]')),
    ).toMatchObject({ param: 'parts[0].colour' });
    expect(thrown(() => checkItem({ type: 'audio' }, POLICY, 'parts', 'parts[0]'))).toMatchObject({
      code: 'unsupported',
      param: 'parts[0].type',
    });
    expect(
      thrown(() => checkItem({ type: 'video', colour: 1 }, POLICY, 'parts', 'parts[0]')),
    ).toEqual({});
  });
});
