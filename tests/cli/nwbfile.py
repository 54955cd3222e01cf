"""A small NWB 2.x file of sorted units for the tests, written with h5py
following the NWB schema (core 2.x, hdmf-common): the root NWBFile's
required attributes, the units table /units as a DynamicTable with ids
(ElementIdentifiers), the ragged spike_times (VectorData) indexed by
spike_times_index (VectorIndex: the end of each unit's run), an optional
location column, and optionally an electrodes table whose locations the
units reach through an electrodes DynamicTableRegion."""
import h5py
import numpy as np


def _column(group, name, data, ntype, description, **kw):
    d = group.create_dataset(name, data=data, **kw)
    d.attrs["neurodata_type"] = ntype
    d.attrs["namespace"] = "hdmf-common"
    d.attrs["description"] = description
    return d


def write(path, units, ids=None, locations=None, electrode_locations=None,
          unit_electrodes=None, with_units=True):
    """units: a list of spike-time lists (seconds), one per unit."""
    str_t = h5py.string_dtype("utf-8")
    with h5py.File(path, "w") as f:
        f.attrs["namespace"] = "core"
        f.attrs["neurodata_type"] = "NWBFile"
        f.attrs["nwb_version"] = "2.7.0"
        f.attrs["object_id"] = "00000000-0000-4000-8000-000000000000"
        f.create_dataset("identifier", data="hillock-test", dtype=str_t)
        f.create_dataset("session_description", data="test units", dtype=str_t)
        f.create_dataset("session_start_time", data="2024-01-01T00:00:00+00:00", dtype=str_t)
        f.create_dataset("timestamps_reference_time", data="2024-01-01T00:00:00+00:00",
                         dtype=str_t)
        f.create_dataset("file_create_date", data=["2024-01-01T00:00:00+00:00"], dtype=str_t)
        for g in ("acquisition", "analysis", "processing", "stimulus/presentation",
                  "stimulus/templates", "general"):
            f.require_group(g)
        if electrode_locations is not None:
            el = f.require_group("general/extracellular_ephys/electrodes")
            el.attrs["neurodata_type"] = "DynamicTable"
            el.attrs["namespace"] = "hdmf-common"
            el.attrs["colnames"] = np.array(["location"], dtype=object)
            el.attrs["description"] = "electrodes"
            _column(el, "id", np.arange(len(electrode_locations)), "ElementIdentifiers", "ids")
            _column(el, "location", np.array(electrode_locations, dtype=object),
                    "VectorData", "brain region", dtype=str_t)
        if not with_units:
            return
        u = f.create_group("units")
        u.attrs["neurodata_type"] = "Units"
        u.attrs["namespace"] = "core"
        u.attrs["description"] = "sorted units"
        cols = ["spike_times"]
        flat = np.concatenate([np.asarray(t, dtype=np.float64) for t in units]) \
            if units else np.zeros(0)
        ends = np.cumsum([len(t) for t in units]).astype(np.int64)
        _column(u, "id", np.asarray(ids if ids is not None else range(len(units)), dtype=np.int64),
                "ElementIdentifiers", "unit ids")
        times = _column(u, "spike_times", flat, "VectorData", "spike times (s)")
        idx = _column(u, "spike_times_index", ends, "VectorIndex", "index into spike_times")
        idx.attrs["target"] = times.ref
        if locations is not None:
            cols.append("location")
            _column(u, "location", np.array(locations, dtype=object), "VectorData",
                    "brain region", dtype=str_t)
        if unit_electrodes is not None:
            cols.append("electrodes")
            flat_el = np.concatenate([np.asarray(e, dtype=np.int64) for e in unit_electrodes])
            el_ends = np.cumsum([len(e) for e in unit_electrodes]).astype(np.int64)
            region = _column(u, "electrodes", flat_el, "DynamicTableRegion", "electrodes")
            region.attrs["table"] = f["general/extracellular_ephys/electrodes"].ref
            eidx = _column(u, "electrodes_index", el_ends, "VectorIndex", "index")
            eidx.attrs["target"] = region.ref
        u.attrs["colnames"] = np.array(cols, dtype=object)
