/**
 * The path bar's parser: where a typed or pasted path, s3:// link, console address or object
 * URL points. It lives in src/shared/s3-location.ts because main reads the same links when the
 * OS opens the app with one.
 */
export {
  formatLocation,
  isParseError,
  parseLocationInput,
  type LocationParseError,
  type ParsedLocation,
} from '../../../shared/s3-location';
