// Public surface of the communicator layer: other layers import only from here.
export {};
