// Public surface of the plugin-host layer: other layers import only from here.
export {};
