DROP TABLE audit_log;
DROP TABLE data_exports;
