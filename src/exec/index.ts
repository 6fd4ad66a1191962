// Public surface of the exec layer: other layers import only from here.
export {};
