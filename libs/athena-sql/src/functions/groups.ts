import type { RefusedGroup } from './table';

/**
 * Athena's chapters outside the function table (Trino's, as Athena's "Athena engine version 3 functions" page links
 * them), refused as a whole by name: their types (geometries, sketches, digests, models, colours, IP addresses)
 * don't exist locally, and the session's functions have no Athena session to answer from.
 */
export const REFUSED_GROUPS: readonly RefusedGroup[] = [
  {
    group: 'geospatial',
    names: [
      'bing_tile', 'bing_tile_at', 'bing_tile_coordinates', 'bing_tile_polygon', 'bing_tile_quadkey', 'bing_tile_zoom_level', 'bing_tiles_around',
      'convex_hull_agg', 'from_encoded_polyline', 'from_geojson_geometry', 'geometry_from_hadoop_shape', 'geometry_invalid_reason',
      'geometry_nearest_points', 'geometry_to_bing_tiles', 'geometry_union', 'geometry_union_agg', 'great_circle_distance',
      'line_interpolate_point', 'line_interpolate_points', 'line_locate_point', 'simplify_geometry', 'ST_Area', 'ST_AsBinary', 'ST_AsText',
      'ST_Boundary', 'ST_Buffer', 'ST_Centroid', 'ST_Contains', 'ST_ConvexHull', 'ST_CoordDim', 'ST_Crosses', 'ST_Difference', 'ST_Dimension',
      'ST_Disjoint', 'ST_Distance', 'ST_EndPoint', 'ST_Envelope', 'ST_EnvelopeAsPts', 'ST_Equals', 'ST_ExteriorRing', 'ST_Geometries',
      'ST_GeometryFromText', 'ST_GeometryN', 'ST_GeometryType', 'ST_GeomFromBinary', 'ST_InteriorRingN', 'ST_InteriorRings', 'ST_Intersection',
      'ST_Intersects', 'ST_IsClosed', 'ST_IsEmpty', 'ST_IsRing', 'ST_IsSimple', 'ST_IsValid', 'ST_Length', 'ST_LineFromText', 'ST_LineString',
      'ST_MultiPoint', 'ST_NumGeometries', 'ST_NumInteriorRing', 'ST_NumPoints', 'ST_Overlaps', 'ST_Point', 'ST_PointN', 'ST_Points',
      'ST_Polygon', 'ST_Relate', 'ST_StartPoint', 'ST_SymDifference', 'ST_Touches', 'ST_Union', 'ST_Within', 'ST_X', 'ST_XMax', 'ST_XMin',
      'ST_Y', 'ST_YMax', 'ST_YMin', 'to_encoded_polyline', 'to_geojson_geometry', 'to_geometry', 'to_spherical_geography',
    ],
    reason: 'the local engine has no geometry types',
    instead: 'keep coordinates as doubles and compute with the math functions (a distance with sin, cos and acos)',
  },
  {
    group: 'HyperLogLog',
    names: ['approx_set', 'empty_approx_set', 'merge'],
    reason: 'the local engine has no HyperLogLog sketches (merge is the sketches’ and digests’ merge)',
    instead: 'approx_distinct(x), which is exact locally, or count(DISTINCT x)',
  },
  {
    group: 'quantile digest and T-Digest',
    names: ['qdigest_agg', 'tdigest_agg', 'value_at_quantile', 'values_at_quantiles', 'quantile_at_value', 'scale_qdigest', 'scale_tdigest', 'destructure_tdigest', 'construct_tdigest', 'truncated_mean'],
    reason: 'the local engine has no digests',
    instead: 'approx_percentile(x, p), which is exact locally',
  },
  {
    group: 'set digest',
    names: ['make_set_digest', 'merge_set_digest', 'intersection_cardinality', 'jaccard_index', 'hash_counts'],
    reason: 'the local engine has no set digests',
    instead: 'count(DISTINCT x) over the sets, joined for their intersection',
  },
  {
    group: 'machine learning',
    names: ['classify', 'features', 'learn_classifier', 'learn_libsvm_classifier', 'learn_libsvm_regressor', 'learn_regressor', 'regress'],
    reason: 'the local engine has no models',
    instead: 'train the model outside the query, or compute it with the aggregates (regr_slope, regr_intercept)',
  },
  {
    group: 'color',
    names: ['bar', 'color', 'render', 'rgb'],
    reason: 'the local engine has no colour type or console rendering',
    instead: 'repeat(\'█\', n) for a bar',
  },
  {
    group: 'IP address',
    names: ['ip_prefix', 'ip_subnet_min', 'ip_subnet_max', 'ip_subnet_range', 'is_subnet_of', 'is_private_ip'],
    reason: 'the local engine has no IPADDRESS or IPPREFIX types (contains(network, address) is refused with them)',
    instead: 'compare the addresses as text, or split_part them into numbers',
  },
  {
    group: 'session',
    names: ['current_user', 'current_catalog', 'current_schema', 'current_groups', 'invoker_principal', 'version'],
    reason: 'the local engine has no Athena session, principal or engine version to answer with',
    instead: 'write the value as a literal',
  },
];

/** Athena's types that the refused groups bring (CAST(… AS IPADDRESS), HyperLogLog columns): refused by name too. */
export const REFUSED_TYPES: ReadonlyMap<string, string> = new Map([
  ['ipaddress', 'IP address'],
  ['ipprefix', 'IP address'],
  ['hyperloglog', 'HyperLogLog'],
  ['p4hyperloglog', 'HyperLogLog'],
  ['qdigest', 'quantile digest and T-Digest'],
  ['tdigest', 'quantile digest and T-Digest'],
  ['setdigest', 'set digest'],
  ['geometry', 'geospatial'],
  ['sphericalgeography', 'geospatial'],
  ['bingtile', 'geospatial'],
  ['color', 'color'],
]);
