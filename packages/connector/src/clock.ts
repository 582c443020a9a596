/** The connector's clock is the protocol's (the connector does not import the SDK); kept under this name for its public exports. */
export { systemClock, type Clock as ConnectorClock } from '@sightline/protocol';
