-- Run once by the postgres image on an empty volume: one database per service.
CREATE DATABASE keyledger_command;
CREATE DATABASE keyledger_query;
