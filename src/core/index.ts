// Public surface of the core layer: other layers import only from here.
export {};
