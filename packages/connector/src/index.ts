/**
 * @sightline/connector: the event connector server. Public surface only; see README.md.
 * (Shared file between the extraction and server work: add exports with small insertions.)
 */
export { connectorErrors, type ConnectorErrorCode } from './errors.ts';
