// Public surface of the hcl layer: other layers import only from here.
export {};
