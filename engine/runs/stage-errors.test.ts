import { describe, expect, it } from 'vitest';
import { BlockedStageError, REMEDY_MARKER, splitRemedy } from './stage-errors.ts';

describe('splitRemedy', () => {
  it('gives back the reason and the remedy a blocked stage persisted together', () => {
    const error = new BlockedStageError('1 test failed', 'fix the test, then apply again');
    const persisted = `${error.message} ${REMEDY_MARKER}${error.remedy}`;
    expect(splitRemedy(persisted)).toEqual({
      reason: '1 test failed',
      remedy: 'fix the test, then apply again',
    });
  });

  it('leaves a reason without a remedy whole', () => {
    expect(splitRemedy('image build failed')).toEqual({
      reason: 'image build failed',
      remedy: null,
    });
    expect(splitRemedy(null)).toEqual({ reason: '', remedy: null });
  });

  it('splits at the first marker only, so a remedy may quote one', () => {
    expect(splitRemedy(`a ${REMEDY_MARKER}b ${REMEDY_MARKER}c`)).toEqual({
      reason: 'a',
      remedy: `b ${REMEDY_MARKER}c`,
    });
  });
});
