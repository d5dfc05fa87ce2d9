/** Tool name and version written into every report. */
export const TOOL_NAME = "sequex";
export const TOOL_VERSION = "0.1.0";
