// Public surface of the sdk layer: other layers import only from here.
export {};
