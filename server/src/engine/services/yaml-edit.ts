// Moved to the engine's core (promotion edits YAML too, from a layer below services); kept so the services' imports stand.
export * from '../core/yaml-edit';
