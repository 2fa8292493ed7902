import { describe, expect, it } from 'vitest';
import { dispositionName } from './download';

describe('dispositionName', () => {
  it('reads the file name the lake gives a download', () => {
    expect(dispositionName('attachment; filename="result.csv"')).toBe('result.csv');
    expect(dispositionName("attachment; filename*=UTF-8''r%C3%A9sultat.json")).toBe('résultat.json');
    expect(dispositionName('attachment')).toBeNull();
    expect(dispositionName(null)).toBeNull();
  });
});
