/**
 * @module The event writer's transport to the API server: events.k8s.io/v1 Events created, and their
 * series updated by a JSON merge patch (what the events' RBAC grants: create and patch). Written
 * through kube-rest (the official client's KubeConfig for authentication) rather than the typed
 * EventsV1Api, whose serializer does not write MicroTime fields (eventTime, series.lastObservedTime)
 * in the six-digit form the API server parses.
 */
import type { EventObject, EventTransport } from '../events/event-writer.js';
import { isNotFound, type KubeRest } from './kube-rest.js';

const path = (namespace: string, name?: string): string =>
  `/apis/events.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/events${
    name !== undefined ? `/${encodeURIComponent(name)}` : ''
  }`;

export function kubeEventTransport(rest: KubeRest): EventTransport {
  return {
    async create(event: EventObject) {
      await rest.post(path(event.metadata.namespace), event);
    },
    async updateSeries(namespace, name, series) {
      if (rest.mergePatch === undefined) return false;
      try {
        await rest.mergePatch(path(namespace, name), { series });
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
      }
    },
  };
}
