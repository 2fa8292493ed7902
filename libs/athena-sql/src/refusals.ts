import { missingFunction, unsupported } from './errors';
import { athenaFunction } from './functions';

/** A refused form of a function, with the table's line for it. */
export function refuseForm(name: string, form: string): never {
  const row = (() => {
    const known = athenaFunction(name);
    return known && 'rows' in known ? known.rows.find((r) => r.status === 'refused' && r.form === form) : undefined;
  })();
  if (row?.status === 'refused') throw missingFunction(name, row.instead);
  throw unsupported(form, 'write it another way');
}
