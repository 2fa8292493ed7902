import { fails, is, same, type ChapterTable } from './table';

export const DECIMAL: ChapterTable = {
  chapter: 'decimal',
  rows: [
    same(
      'DECIMAL',
      [
        is("DECIMAL '0'", '0', 'decimal(1,0)'),
        is("DECIMAL '12345'", '12345', 'decimal(5,0)'),
        is("DECIMAL '0000012345.1234500000'", '12345.1234500000', 'decimal(20,10)'),
        is('1.20', '1.20'),
      ],
      {
        form: "DECIMAL 'xxx.yyy'",
      },
    ),
    same('+', [is('1.5 + 2.25', '3.75'), is("DECIMAL '9.99' + 1", '10.99')], { form: 'decimal + decimal' }),
    same('-', [is('1.10 - 0.2', '0.90')], { form: 'decimal - decimal' }),
    same('*', [is('1.5 * 1.5', '2.25'), is('0.1 * 3', '0.3')], { form: 'decimal * decimal' }),
    same(
      '/',
      [
        is('5.0 / 3', '1.7'),
        is('1 / 3.00', '0.33'),
        is('2.5 / 2', '1.3'),
        is('-2.5 / 2', '-1.3'),
        is('10.00 / 4.0', '2.50'),
        fails('1.5 / 0', /Division by zero/),
      ],
      {
        form: 'decimal / decimal',
        note: "the result's precision is 38 locally (its scale and value are Athena's)",
      },
    ),
    same('%', [is('5.5 % 2.25', '1.00'), is('-7.5 % 2', '-1.5'), fails('1.5 % 0', /Division by zero/)], { form: 'decimal % decimal' }),
    same('-', [is('-(1.50)', '-1.50')], { form: '-decimal' }),
    same('comparison', [is('1.10 = 1.1', 'true'), is('0.1 + 0.2 = 0.3', 'true')], { form: 'decimal comparisons' }),
  ],
};
