import { fails, is, same, type ChapterTable } from './table';

export const MAP: ChapterTable = {
  chapter: 'map',
  rows: [
    same('map', [
      is('map()', '{}'),
      is('map(ARRAY[1, 3], ARRAY[2, 4])', '{1=2, 3=4}'),
      is("MAP(ARRAY['key1', 'key2', 'key3'], ARRAY[2373, 3463, 45837])", '{key1=2373, key2=3463, key3=45837}'),
      is("MAP(ARRAY['key1', 'key2', 'key3'], ARRAY['v1', NULL, 'v3'])", '{key1=v1, key2=NULL, key3=v3}'),
      fails('map(ARRAY[1, 1], ARRAY[2, 3])', /Duplicate map keys/),
    ]),
    same(
      '[]',
      [is("MAP(ARRAY['key1', 'key2', 'key3'], ARRAY['v1', 'v2', 'v3'])['key2']", 'v2'), fails("MAP(ARRAY['a'], ARRAY[1])['b']", /Key not present in map/)],
      { form: 'map[key]' },
    ),
    same('cardinality', [is("cardinality(MAP(ARRAY['a', 'b'], ARRAY[1, 2]))", '2', 'bigint')], { form: 'cardinality(map)' }),
    same('element_at', [is("element_at(MAP(ARRAY['a'], ARRAY[1]), 'a')", '1'), is("element_at(MAP(ARRAY['a'], ARRAY[1]), 'b')", null)], {
      form: 'element_at(map, key)',
    }),
    same('map_from_entries', [
      is("map_from_entries(ARRAY[(1, 'x'), (2, 'y')])", '{1=x, 2=y}'),
      fails("map_from_entries(ARRAY[(1, 'x'), (1, 'y')])", /Duplicate map keys/),
    ]),
    same('multimap_from_entries', [is("multimap_from_entries(ARRAY[(1, 'x'), (2, 'y'), (1, 'z')])", '{1=[x, z], 2=[y]}')]),
    same('map_entries', [is("map_entries(MAP(ARRAY[1, 2], ARRAY['x', 'y']))", '[{field0=1, field1=x}, {field0=2, field1=y}]')]),
    same('map_concat', [
      is("map_concat(MAP(ARRAY['a', 'b'], ARRAY[1, 2]), MAP(ARRAY['b', 'c'], ARRAY[3, 4]))", '{a=1, b=3, c=4}'),
      is("map_concat(MAP(ARRAY['a'], ARRAY[1]), MAP(ARRAY['a'], ARRAY[2]), MAP(ARRAY['a'], ARRAY[3]))", '{a=3}'),
    ]),
    same('map_filter', [
      is('map_filter(MAP(ARRAY[], ARRAY[]), (k, v) -> true)', '{}'),
      is("map_filter(MAP(ARRAY[10, 20, 30], ARRAY['a', NULL, 'c']), (k, v) -> v IS NOT NULL)", '{10=a, 30=c}'),
      is("map_filter(MAP(ARRAY['k1', 'k2', 'k3'], ARRAY[20, 3, 15]), (k, v) -> v > 10)", '{k1=20, k3=15}'),
    ]),
    same('map_keys', [is("map_keys(MAP(ARRAY['a', 'b'], ARRAY[1, 2]))", '[a, b]')]),
    same('map_values', [is("map_values(MAP(ARRAY['a', 'b'], ARRAY[1, 2]))", '[1, 2]')]),
    same('map_zip_with', [
      is(
        "map_zip_with(MAP(ARRAY[1, 2, 3], ARRAY['a', 'b', 'c']), MAP(ARRAY[1, 2, 3], ARRAY['d', 'e', 'f']), (k, v1, v2) -> concat(v1, v2))",
        '{1=ad, 2=be, 3=cf}',
      ),
      is(
        "map_zip_with(MAP(ARRAY['k1', 'k2'], ARRAY[1, 2]), MAP(ARRAY['k2', 'k3'], ARRAY[4, 9]), (k, v1, v2) -> (v1, v2))",
        '{k1={field0=1, field1=NULL}, k2={field0=2, field1=4}, k3={field0=NULL, field1=9}}',
      ),
      is(
        "map_zip_with(MAP(ARRAY['a', 'b', 'c'], ARRAY[1, 8, 27]), MAP(ARRAY['a', 'b', 'c'], ARRAY[1, 2, 3]), (k, v1, v2) -> k || CAST(v1 / v2 AS VARCHAR))",
        '{a=a1, b=b4, c=c9}',
      ),
    ]),
    same('transform_keys', [
      is('transform_keys(MAP(ARRAY[], ARRAY[]), (k, v) -> k + 1)', '{}'),
      is("transform_keys(MAP(ARRAY [1, 2, 3], ARRAY ['a', 'b', 'c']), (k, v) -> k + 1)", '{2=a, 3=b, 4=c}'),
      is("transform_keys(MAP(ARRAY ['a', 'b', 'c'], ARRAY [1, 2, 3]), (k, v) -> v * v)", '{1=1, 4=2, 9=3}'),
      is("transform_keys(MAP(ARRAY ['a', 'b'], ARRAY [1, 2]), (k, v) -> k || CAST(v as VARCHAR))", '{a1=1, b2=2}'),
      is("transform_keys(MAP(ARRAY [1, 2], ARRAY [1.0, 1.4]), (k, v) -> MAP(ARRAY[1, 2], ARRAY['one', 'two'])[k])", '{one=1.0, two=1.4}'),
      fails("transform_keys(MAP(ARRAY[1, 2], ARRAY['a', 'b']), (k, v) -> 0)", /Duplicate map keys/),
    ]),
    same('transform_values', [
      is('transform_values(MAP(ARRAY[], ARRAY[]), (k, v) -> v + 1)', '{}'),
      is('transform_values(MAP(ARRAY [1, 2, 3], ARRAY [10, 20, 30]), (k, v) -> v + k)', '{1=11, 2=22, 3=33}'),
      is("transform_values(MAP(ARRAY [1, 2, 3], ARRAY ['a', 'b', 'c']), (k, v) -> k * k)", '{1=1, 2=4, 3=9}'),
      is("transform_values(MAP(ARRAY ['a', 'b'], ARRAY [1, 2]), (k, v) -> k || CAST(v as VARCHAR))", '{a=a1, b=b2}'),
      is(
        "transform_values(MAP(ARRAY [1, 2], ARRAY [1.0, 1.4]), (k, v) -> MAP(ARRAY[1, 2], ARRAY['one', 'two'])[k] || '_' || CAST(v AS VARCHAR))",
        '{1=one_1.0, 2=two_1.4}',
      ),
    ]),
  ],
};
