"""The submission portal (数据报送) on the web: upload, acknowledge, deadlines and the status
board (:mod:`.portal` applies the policy); storage lives in :mod:`cimon.store.submissions`.
"""
