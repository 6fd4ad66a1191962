// Public surface of the plugins layer: other layers import only from here.
export {};
