CREATE TABLE gadgets (id integer PRIMARY KEY, widget_id integer NOT NULL REFERENCES widgets (id));
